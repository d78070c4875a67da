using TenantPortal.Data.Services.Sessions;

namespace TenantPortal.Web.Jobs;

/// <summary>
/// The <c>session-cleanup</c> recurring job: deletes sign-in sessions that expired or were ended, hourly. An ended
/// session is refused the moment it ends; this only keeps the table small (a session nobody uses again is never read).
/// </summary>
public sealed class SessionCleanupJob(IUserSessionStore sessions, ILogger<SessionCleanupJob> logger)
{
    /// <summary>The recurring job id.</summary>
    public const string Id = "session-cleanup";

    /// <summary>Hourly at minute 40 (UTC).</summary>
    public const string Cron = "40 * * * *";

    /// <summary>Deletes what has ended; Hangfire passes its shutdown token.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var removed = await sessions.RemoveEndedAsync(cancellationToken);
        if (removed > 0)
            logger.LogInformation("Removed {Count} ended session(s)", removed);
    }
}
