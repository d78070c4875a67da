namespace TenantPortal.Data.Services.Billing.Webhooks;

/// <summary>Stripe.net hands out times as UTC <see cref="DateTime"/> values (unix seconds); the portal keeps <see cref="DateTimeOffset"/>.</summary>
internal static class StripeTime
{
    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    /// <summary>Null for a missing time (Stripe.net gives <c>default</c> or the unix epoch for an absent field).</summary>
    public static DateTimeOffset? UtcOrNull(DateTime? value) =>
        value is { } v && v > DateTime.UnixEpoch ? Utc(v) : null;
}
