using TenantPortal.Data.Services.Metering;
using TenantPortal.Web.Observability;

namespace TenantPortal.Web.Jobs;

/// <summary>
/// The <c>metering-rollup</c> recurring job: rolls new usage events into hourly, daily and monthly rollups, and publishes
/// the rollup lag, and flushes the refused-request counts. Safe to run twice, concurrently or late: the watermark's compare-and-swap lets one run take a range.
/// </summary>
public sealed class MeteringRollupJob(MeteringRollupService rollups, ApiRefusalService refusals, ApiRefusalCounter refusalCounter, PortalMetrics metrics, ILogger<MeteringRollupJob> logger)
{
    /// <summary>The recurring job id.</summary>
    public const string Id = "metering-rollup";

    /// <summary>Every minute.</summary>
    public const string Cron = "* * * * *";

    /// <summary>Rolls up until nothing new is left; Hangfire passes its shutdown token.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        RollupRun run;
        do
        {
            run = await rollups.RunAsync(cancellationToken);
            if (run.Events > 0)
                logger.LogInformation("Rolled up usage events {From}..{To} ({Count})", run.FromEventId + 1, run.ToEventId, run.Events);
        }
        while (run.Full);
        metrics.RollupLag(await rollups.LagAsync(cancellationToken));

        var counts = refusalCounter.Drain();
        try
        {
            await refusals.AddAsync(counts, cancellationToken);
        }
        catch (Exception)
        {
            // Put the counts back for the next run, so a failed flush loses none.
            refusalCounter.Restore(counts);
            throw;
        }
    }
}
