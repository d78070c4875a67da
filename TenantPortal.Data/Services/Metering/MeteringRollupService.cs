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
/// for the tenant-months the new readings touch.
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

        var run = await db.InTransactionAsync(async (transaction, ct) =>
        {
            var claimed = await db.MeteringWatermarks
                .Where(w => w.Name == MeteringWatermark.Rollup && w.LastEventId == from)
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.LastEventId, to).SetProperty(w => w.UpdatedAt, now), ct);
            if (claimed == 0)
                return new RollupRun(from, from, MaxEventsPerRun);
            await store.AggregateAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction(), from, to, now, ct);
            await RecomputeLevelHoursAsync(db, from, to, ct);
            await transaction.CommitAsync(ct);
            return new RollupRun(from, to, MaxEventsPerRun);
        }, cancellationToken);
        if (run.Events > 0)
            await MarkChangedAsync(db, from, to, cancellationToken);
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

    // The tenants whose events the run rolled up: their live panels read again (totals are unchanged, but cheap to be sure).
    private async Task MarkChangedAsync(PortalDbContext db, long from, long to, CancellationToken cancellationToken)
    {
        if (versions is null)
            return;
        var tenants = await db.UsageEvents.Where(e => e.Id > from && e.Id <= to).Select(e => e.TenantId).Distinct().ToListAsync(cancellationToken);
        foreach (var tenantId in tenants)
            versions.Changed(tenantId);
    }

    // Gauge readings are few (a level every few minutes at most), so the tenant-months a run touches are recomputed whole.
    private static async Task RecomputeLevelHoursAsync(PortalDbContext db, long from, long to, CancellationToken cancellationToken)
    {
        var touched = await db.UsageEvents
            .Where(e => e.Id > from && e.Id <= to && (e.Metric == UsageMetric.StorageGb || e.Metric == UsageMetric.Studies))
            .Select(e => new { e.TenantId, e.Metric, e.Timestamp })
            .ToListAsync(cancellationToken);
        foreach (var month in touched.Select(t => (t.TenantId, t.Metric, Month: PeriodMath.MonthStart(t.Timestamp))).Distinct())
        {
            var monthEnd = month.Month.AddMonths(1);
            var before = await db.UsageEvents
                .Where(e => e.TenantId == month.TenantId && e.Metric == month.Metric && e.Timestamp < month.Month)
                .OrderByDescending(e => e.Timestamp).ThenByDescending(e => e.Id)
                .Select(e => new { e.Timestamp, e.Quantity }).FirstOrDefaultAsync(cancellationToken);
            var readings = await db.UsageEvents
                .Where(e => e.TenantId == month.TenantId && e.Metric == month.Metric && e.Timestamp >= month.Month && e.Timestamp < monthEnd)
                .OrderBy(e => e.Timestamp).ThenBy(e => e.Id)
                .Select(e => new { e.Timestamp, e.Quantity }).ToListAsync(cancellationToken);
            var series = readings.Select(r => (r.Timestamp, r.Quantity)).ToList();
            if (before is not null)
                series.Insert(0, (before.Timestamp, before.Quantity));

            var rollups = await db.UsageRollups
                .Where(r => r.TenantId == month.TenantId && r.Metric == month.Metric && r.PeriodStart >= month.Month && r.PeriodStart < monthEnd)
                .ToListAsync(cancellationToken);
            foreach (var rollup in rollups)
            {
                var end = rollup.Granularity switch
                {
                    RollupGranularity.Hour => rollup.PeriodStart.AddHours(1),
                    RollupGranularity.Day => rollup.PeriodStart.AddDays(1),
                    _ => rollup.PeriodStart.AddMonths(1),
                };
                rollup.LevelHours = PeriodMath.TimeWeightedAverage(series, rollup.PeriodStart, end) * (decimal)(end - rollup.PeriodStart).TotalHours;
            }
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
