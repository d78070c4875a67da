namespace TenantPortal.Core.Webhooks;

/// <summary>
/// When a failed delivery is tried again: 1 min, 5 min, 30 min, 2 h, 5 h, then every 10 h, each with up to ±10 % jitter,
/// until <see cref="GiveUpAfter"/> from the delivery's creation; an endpoint failing that long in a row is disabled.
/// </summary>
public static class WebhookRetrySchedule
{
    /// <summary>How long a delivery is retried, and how long an endpoint may fail in a row before it is disabled.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromDays(3);

    private static readonly TimeSpan[] Delays =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(5),
        TimeSpan.FromHours(10),
    ];

    /// <summary>The delay after the <paramref name="failedAttempts"/>th failed attempt (1-based), before jitter.</summary>
    public static TimeSpan BaseDelay(int failedAttempts) => Delays[Math.Clamp(failedAttempts, 1, Delays.Length) - 1];

    /// <summary>
    /// The next attempt after <paramref name="failedAttempts"/> failures at <paramref name="now"/>, or null when the delivery
    /// created at <paramref name="createdAt"/> is past <see cref="GiveUpAfter"/> (the last attempt is never later than that).
    /// <paramref name="jitter"/> in [0, 1) spreads retries of many deliveries (0.5 = no change).
    /// </summary>
    public static DateTimeOffset? Next(int failedAttempts, DateTimeOffset createdAt, DateTimeOffset now, double jitter)
    {
        var deadline = createdAt + GiveUpAfter;
        if (now >= deadline)
            return null;
        var delay = BaseDelay(failedAttempts) * (0.9 + 0.2 * Math.Clamp(jitter, 0, 1));
        var next = now + delay;
        return next > deadline ? deadline : next;
    }
}
