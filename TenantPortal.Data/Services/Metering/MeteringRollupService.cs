using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// The <c>metering-rollup</c> job's work: rolls the events past the watermark into hourly, daily and monthly rollups.
/// A run claims its range of event ids by moving the watermark with a compare-and-swap inside its transaction, so a
/// repeated or concurrent run either finds nothing new or loses the swap and rolls back: events are counted exactly once.
/// The range ends at an id below which nothing can still commit (<see cref="CommittedThroughAsync"/>), so an event whose
/// transaction commits after a run with a higher id is never passed over.
/// Late events land in their own (earlier) bucket. Gauges also keep their time-weighted level (level-hours), recomputed
/// set-based from the month of each touched gauge's earliest new reading on (<see cref="GaugeLevelHours"/>).
/// </summary>
public sealed class MeteringRollupService(
    IDbContextFactory<PortalDbContext> contexts,
    IRollupStore store,
    IUsageCommitBarrier commitBarrier,
    ITenantContext tenantContext,
    TimeProvider time,
    TenantDataVersions? versions = null)
{
    /// <summary>Most events one run rolls up on this provider (<see cref="IRollupStore.MaxEventsPerRun"/>); a backlog takes several runs.</summary>
    public int MaxEventsPerRun => store.MaxEventsPerRun;

    /// <summary>
    /// Rolls up what is new, at most <see cref="MaxEventsPerRun"/> events; returns the range it took. Every statement of
    /// the run, raw or EF Core's, has the store's <see cref="IRollupStore.CommandTimeout"/>. A transient failure runs the
    /// transaction again from an empty change tracker (<see cref="DatabaseTransactions"/>): nothing the failed attempt
    /// loaded or saved (rolled back) is taken for the database's state.
    /// </summary>
    public async Task<RollupRun> RunAsync(CancellationToken cancellationToken)
    {
        using var scope = tenantContext.BeginCrossTenantScope("metering rollup over every tenant's events");
        await using var db = contexts.CreateDbContext();
        db.Database.SetCommandTimeout(store.CommandTimeout);
        var from = await db.MeteringWatermarks.Where(w => w.Name == MeteringWatermark.Rollup).Select(w => w.LastEventId).SingleAsync(cancellationToken);
        var latest = await CommittedThroughAsync(db, commitBarrier, cancellationToken);
        if (latest <= from)
            return new RollupRun(from, from, MaxEventsPerRun);
        var to = Math.Min(latest, from + MaxEventsPerRun);
        var now = time.GetUtcNow();

        IReadOnlyCollection<Guid>? tenants = null;
        var run = await db.InTransactionAsync(async (transaction, ct) =>
        {
            tenants = null;
            var claimed = await db.MeteringWatermarks
                .Where(w => w.Name == MeteringWatermark.Rollup && w.LastEventId == from)
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.LastEventId, to).SetProperty(w => w.UpdatedAt, now), ct);
            if (claimed == 0)
                return new RollupRun(from, from, MaxEventsPerRun);
            IReadOnlyList<GaugeTouch> gauges;
            if (store is IReportingRollupStore reporting)
            {
                var report = await reporting.AggregateAndReportAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction(), from, to, now, ct);
                (tenants, gauges) = (report.Tenants, report.Gauges);
            }
            else
            {
                await store.AggregateAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction(), from, to, now, ct);
                gauges = await GaugeLevelHours.TouchedAsync(db, from, to, ct);
            }
            await GaugeLevelHours.RecomputeAsync(db, gauges, ct);
            await transaction.CommitAsync(ct);
            return new RollupRun(from, to, MaxEventsPerRun);
        }, cancellationToken);
        if (run.Events > 0)
            await MarkChangedAsync(db, from, to, tenants, cancellationToken);
        return run;
    }

    /// <summary>
    /// The highest event id at or below which every event is committed (or never will be). SQLite writes one transaction
    /// at a time, so that is <c>MAX(Id)</c>. A server database hands ids out at insert and commits them in any order:
    /// <c>MAX(Id)</c> is read after closing the <see cref="IUsageCommitBarrier"/>, in a short transaction of its own, so
    /// ingestion waits only for this one read, not for the run. Ids handed out after it are higher, so the answer stays
    /// true once the barrier opens again.
    /// </summary>
    private static async Task<long> CommittedThroughAsync(PortalDbContext db, IUsageCommitBarrier barrier, CancellationToken cancellationToken)
    {
        if (barrier.CommitsInIdOrder)
            return await db.UsageEvents.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
        return await db.InTransactionAsync(async (transaction, ct) =>
        {
            await barrier.CloseAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction(), ct);
            var latest = await db.UsageEvents.MaxAsync(e => (long?)e.Id, ct) ?? 0;
            await transaction.CommitAsync(ct);
            return latest;
        }, cancellationToken);
    }

    /// <summary>
    /// How long the oldest event not rolled up yet has waited (zero when none waits). Read in one snapshot
    /// (<see cref="MeteringReads"/>): on SQL Server a running rollup holds the watermark row locked until it commits, and
    /// the lag (the job's metric, the operators' jobs page) must not wait for it.
    /// </summary>
    public async Task<TimeSpan> LagAsync(CancellationToken cancellationToken)
    {
        using var scope = tenantContext.BeginCrossTenantScope("metering rollup lag");
        await using var db = contexts.CreateDbContext();
        var oldest = await MeteringReads.OneSnapshotAsync(db, async ct =>
        {
            var watermark = await db.MeteringWatermarks.Where(w => w.Name == MeteringWatermark.Rollup).Select(w => w.LastEventId).SingleAsync(ct);
            return await db.UsageEvents.Where(e => e.Id > watermark).OrderBy(e => e.Id).Select(e => (DateTimeOffset?)e.ReceivedAt).FirstOrDefaultAsync(ct);
        }, cancellationToken);
        return oldest is { } at ? time.GetUtcNow() - at : TimeSpan.Zero;
    }

    // The tenants whose events the run rolled up: their live panels read again (totals are unchanged, but cheap to be
    // sure). A reporting store named them while aggregating; otherwise they are read from the events.
    private async Task MarkChangedAsync(PortalDbContext db, long from, long to, IReadOnlyCollection<Guid>? reported, CancellationToken cancellationToken)
    {
        if (versions is null)
            return;
        var tenants = reported ?? await db.UsageEvents.Where(e => e.Id > from && e.Id <= to).Select(e => e.TenantId).Distinct().ToListAsync(cancellationToken);
        foreach (var tenantId in tenants)
            versions.Changed(tenantId);
    }
}
