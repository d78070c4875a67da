using TenantPortal.Data.Services.Tenants;

namespace TenantPortal.Web.Jobs;

/// <summary>
/// The <c>tenant-deletion</c> recurring job: finishes the deletions that owners requested and that stopped midway (the
/// process ended or a batch failed), every ten minutes. The deleted tenants are gone for everyone meanwhile.
/// </summary>
public sealed class TenantDeletionJob(TenantDeletionService deletion, ILogger<TenantDeletionJob> logger)
{
    /// <summary>The recurring job id.</summary>
    public const string Id = "tenant-deletion";

    /// <summary>Every ten minutes.</summary>
    public const string Cron = "*/10 * * * *";

    /// <summary>Continues every pending deletion; Hangfire passes its shutdown token.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var finished = await deletion.ContinuePendingAsync(cancellationToken);
        if (finished > 0)
            logger.LogInformation("Finished {Count} tenant deletion(s)", finished);
    }
}
