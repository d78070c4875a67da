using TenantPortal.Data.Services.Billing;

namespace TenantPortal.Web.Jobs;

/// <summary>The <c>trial-expiry</c> recurring job: reminders 3 days before a trial ends, suspension at its end.</summary>
public sealed class TrialExpiryJob(TrialExpiryService trials, ILogger<TrialExpiryJob> logger)
{
    /// <summary>The recurring job id.</summary>
    public const string Id = "trial-expiry";

    /// <summary>Daily at 02:00 UTC.</summary>
    public const string Cron = "0 2 * * *";

    /// <summary>Handles the trials that are due; Hangfire passes its shutdown token.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var (reminded, suspended) = await trials.RunAsync(cancellationToken);
        logger.LogInformation("Trial expiry: {Reminded} reminders, {Suspended} suspended", reminded, suspended);
    }
}
