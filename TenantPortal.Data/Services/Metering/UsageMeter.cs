using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// What the current tenant has used of each metric in a period, read from the stored events with the aggregation in
/// SQL: counters summed, gauges at their latest level, seats as members. Everything ingested is counted at once.
/// The reads of several statements see one snapshot on the server databases (<see cref="MeteringReads"/>).
/// </summary>
internal static class UsageMeter
{
    public static Task<Dictionary<UsageMetric, decimal>> UsedAsync(PortalDbContext db, DateTimeOffset periodStart, DateTimeOffset now, CancellationToken cancellationToken) =>
        MeteringReads.OneSnapshotAsync(db, ct => ReadUsedAsync(db, periodStart, now, ct), cancellationToken);

    private static async Task<Dictionary<UsageMetric, decimal>> ReadUsedAsync(PortalDbContext db, DateTimeOffset periodStart, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var counters = await CountersAsync(db, periodStart, cancellationToken);
        var used = new Dictionary<UsageMetric, decimal>
        {
            [UsageMetric.ApiCalls] = counters.GetValueOrDefault(UsageMetric.ApiCalls),
            [UsageMetric.GpuHours] = counters.GetValueOrDefault(UsageMetric.GpuHours),
            [UsageMetric.Users] = await db.Members.CountAsync(cancellationToken),
        };
        foreach (var gauge in new[] { UsageMetric.StorageGb, UsageMetric.Studies })
            used[gauge] = await LatestLevelAsync(db, gauge, now, cancellationToken);
        return used;
    }

    /// <summary>What the current tenant has used of one metric in the period (the uncached quota check).</summary>
    public static async Task<decimal> UsedAsync(PortalDbContext db, UsageMetric metric, DateTimeOffset periodStart, DateTimeOffset now, CancellationToken cancellationToken) =>
        UsageMetrics.Kind(metric) switch
        {
            MetricKind.Seats => await db.Members.CountAsync(cancellationToken),
            MetricKind.Gauge => await LatestLevelAsync(db, metric, now, cancellationToken),
            _ => (await CountersAsync(db, periodStart, cancellationToken)).GetValueOrDefault(metric),
        };

    /// <summary>
    /// The current tenant's running totals for the quota caches: the month's counters, each gauge's latest reading at or
    /// before <paramref name="now"/> and the readings stamped after it (at most the ingestion's future tolerance ahead).
    /// Read with the ingest transactions held off by <paramref name="barrier"/> (the provider's, as <c>AddDataServices</c>
    /// registers it): the highest id read is then a watermark on a server database too (every id at or below it committed
    /// and read, every later commit above it), and every statement sees the same events (see
    /// <see cref="MeteringReads.PastCommitBarrierAsync"/>).
    /// </summary>
    public static Task<UsageTotals> TotalsAsync(PortalDbContext db, DateTimeOffset periodStart, DateTimeOffset now, IUsageCommitBarrier barrier,
        CancellationToken cancellationToken) =>
        MeteringReads.PastCommitBarrierAsync(db, barrier, ct => SnapshotTotalsAsync(db, periodStart, now, ct), cancellationToken);

    // The reads of TotalsAsync, inside its read transaction.
    private static async Task<UsageTotals> SnapshotTotalsAsync(PortalDbContext db, DateTimeOffset periodStart, DateTimeOffset now, CancellationToken cancellationToken)
    {
        long seenThroughId;
        // The highest event id of the whole table: a number, no tenant's data (row-level security would hide the others' ids).
        using (db.BeginCrossTenantScope("quota totals: the highest stored event id of the whole table"))
            seenThroughId = await db.UsageEvents.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
        var counters = await CountersAsync(db, periodStart, cancellationToken);
        var totals = new UsageTotals(periodStart, counters.GetValueOrDefault(UsageMetric.ApiCalls), counters.GetValueOrDefault(UsageMetric.GpuHours), seenThroughId);
        foreach (var gauge in new[] { UsageMetric.StorageGb, UsageMetric.Studies })
        {
            var latest = await db.UsageEvents
                .Where(e => e.Metric == gauge && e.Timestamp <= now)
                .OrderByDescending(e => e.Timestamp).ThenByDescending(e => e.Id)
                .Select(e => new { e.Timestamp, e.Id, e.Quantity })
                .FirstOrDefaultAsync(cancellationToken);
            if (latest is not null)
                totals.AddReading(gauge, new GaugeReading(latest.Timestamp, latest.Id, latest.Quantity));
            var ahead = await db.UsageEvents
                .Where(e => e.Metric == gauge && e.Timestamp > now)
                .Select(e => new { e.Timestamp, e.Id, e.Quantity })
                .ToListAsync(cancellationToken);
            foreach (var reading in ahead)
                totals.AddReading(gauge, new GaugeReading(reading.Timestamp, reading.Id, reading.Quantity));
        }
        return totals;
    }

    /// <summary>
    /// The counters (API calls, GPU hours) of the month starting at <paramref name="periodStart"/>: rolled-up months plus
    /// the events past the watermark, in one statement. One statement reads one snapshot on PostgreSQL (MVCC, at any
    /// isolation) and SQLite, so a rollup committing meanwhile is seen wholly or not at all. Not on SQL Server: locking
    /// READ COMMITTED reads rows as it goes (the watermark before a rollup commits, the rollups after it, counting its
    /// events twice; or the other way round, not at all) and waits for the rollup's locks, so there the statement runs
    /// in a SNAPSHOT transaction (<see cref="MeteringReads.OneStatementAsync"/>).
    /// </summary>
    public static Task<Dictionary<UsageMetric, decimal>> CountersAsync(PortalDbContext db, DateTimeOffset periodStart, CancellationToken cancellationToken) =>
        MeteringReads.OneStatementAsync(db, ct => ReadCountersAsync(db, periodStart, ct), cancellationToken);

    private static async Task<Dictionary<UsageMetric, decimal>> ReadCountersAsync(PortalDbContext db, DateTimeOffset periodStart, CancellationToken cancellationToken) =>
        await CounterRows(db, periodStart)
            .GroupBy(x => x.Metric)
            .Select(g => new { Metric = g.Key, Sum = g.Sum(x => x.Quantity) })
            .ToDictionaryAsync(x => x.Metric, x => x.Sum, cancellationToken);

    /// <summary>
    /// The rows a month's counters (API calls, GPU hours) are the sum of: its month rollups, plus the events of the month
    /// past the rollup watermark; one query, for the context's tenants, or only <paramref name="tenants"/> (the invoicing
    /// job's batch, read cross-tenant). Callers group and sum it in the same statement.
    /// </summary>
    public static IQueryable<CounterRow> CounterRows(PortalDbContext db, DateTimeOffset periodStart, IReadOnlyCollection<Guid>? tenants = null)
    {
        var watermark = db.MeteringWatermarks.Where(w => w.Name == MeteringWatermark.Rollup).Select(w => w.LastEventId);
        var rollups = db.UsageRollups.Where(r => r.Granularity == RollupGranularity.Month && r.PeriodStart == periodStart
            && (r.Metric == UsageMetric.ApiCalls || r.Metric == UsageMetric.GpuHours));
        var events = db.UsageEvents.Where(e => e.Id > watermark.First() && e.Timestamp >= periodStart && e.Timestamp < periodStart.AddMonths(1)
            && (e.Metric == UsageMetric.ApiCalls || e.Metric == UsageMetric.GpuHours));
        if (tenants is not null)
        {
            rollups = rollups.Where(r => tenants.Contains(r.TenantId));
            events = events.Where(e => tenants.Contains(e.TenantId));
        }
        return rollups.Select(r => new CounterRow { TenantId = r.TenantId, Metric = r.Metric, Quantity = r.Sum })
            .Concat(events.Select(e => new CounterRow { TenantId = e.TenantId, Metric = e.Metric, Quantity = e.Quantity }));
    }

    /// <summary>One row of <see cref="CounterRows"/>: a month rollup's sum or an event's quantity.</summary>
    internal sealed class CounterRow
    {
        public Guid TenantId { get; init; }
        public UsageMetric Metric { get; init; }
        public decimal Quantity { get; init; }
    }

    /// <summary>
    /// The billable usage of a period up to <paramref name="until"/> (its end once closed): counters summed, storage as
    /// the time-weighted level (GB-months).
    /// </summary>
    public static Task<PeriodUsage> PeriodUsageAsync(PortalDbContext db, DateTimeOffset periodStart, DateTimeOffset until, CancellationToken cancellationToken) =>
        MeteringReads.OneSnapshotAsync(db, ct => ReadPeriodUsageAsync(db, periodStart, until, ct), cancellationToken);

    private static async Task<PeriodUsage> ReadPeriodUsageAsync(PortalDbContext db, DateTimeOffset periodStart, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var end = until < periodStart.AddMonths(1) ? until : periodStart.AddMonths(1);
        var counters = await CountersAsync(db, periodStart, cancellationToken);
        var gbMonths = await StorageGbMonthsSoFarAsync(db, periodStart, end, cancellationToken);
        return new PeriodUsage(counters.GetValueOrDefault(UsageMetric.ApiCalls), gbMonths, counters.GetValueOrDefault(UsageMetric.GpuHours));
    }

    public static async Task<decimal> LatestLevelAsync(PortalDbContext db, UsageMetric gauge, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.UsageEvents
            .Where(e => e.Metric == gauge && e.Timestamp <= now)
            .OrderByDescending(e => e.Timestamp).ThenByDescending(e => e.Id)
            .Select(e => (decimal?)e.Quantity)
            .FirstOrDefaultAsync(cancellationToken) ?? 0;

    /// <summary>The storage level over the period so far, time-weighted: the GB-months the period is on course to bill.</summary>
    public static async Task<decimal> StorageGbMonthsSoFarAsync(PortalDbContext db, DateTimeOffset periodStart, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (now <= periodStart)
            return 0;
        var before = await db.UsageEvents
            .Where(e => e.Metric == UsageMetric.StorageGb && e.Timestamp < periodStart)
            .OrderByDescending(e => e.Timestamp).ThenByDescending(e => e.Id)
            .Select(e => new { e.Timestamp, e.Quantity })
            .FirstOrDefaultAsync(cancellationToken);
        var readings = await db.UsageEvents
            .Where(e => e.Metric == UsageMetric.StorageGb && e.Timestamp >= periodStart && e.Timestamp <= now)
            .OrderBy(e => e.Timestamp).ThenBy(e => e.Id)
            .Select(e => new { e.Timestamp, e.Quantity })
            .ToListAsync(cancellationToken);
        var all = readings.Select(r => (r.Timestamp, r.Quantity)).ToList();
        if (before is not null)
            all.Insert(0, (before.Timestamp, before.Quantity));
        return PeriodMath.TimeWeightedAverage(all, periodStart, now);
    }
}
