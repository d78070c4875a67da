using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// The current tenant's usage day by day over a range (UTC days): counters summed per day, gauges at their last level
/// of the day (carried forward over days without a reading). Seats are not reported as events and have no history.
/// </summary>
public sealed class UsageHistoryService(IDbContextFactory<PortalDbContext> contexts)
{
    /// <summary>Every day in [<paramref name="from"/>, <paramref name="to"/>] for the reported metrics, oldest first.</summary>
    public async Task<IReadOnlyList<DailyUsage>> DailyAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        if (db.Tenant.TenantId is null)
            throw new InvalidOperationException("Usage history needs a current tenant.");
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        // Rolled-up days plus the events past the rollup watermark, in one statement (as UsageMeter.CountersAsync reads
        // them), so that a rollup committing meanwhile can't count an event twice or not at all. A day rollup is one row
        // per metric instead of every event of the day: counters bring their sum (at the day's start), gauges their
        // last reading of the day with its time. Rolled-up rows carry id 0: a fresh reading at the same instant is later.
        // The reported metrics are named (as constants) so that both reads seek the (tenant, metric, ...) indexes for the
        // range instead of walking every rollup hour and event of the tenant's history.
        var watermark = db.MeteringWatermarks.Where(w => w.Name == MeteringWatermark.Rollup).Select(w => w.LastEventId);
        var rolled = db.UsageRollups.AsNoTracking()
            .Where(r => (r.Metric == UsageMetric.ApiCalls || r.Metric == UsageMetric.StorageGb || r.Metric == UsageMetric.GpuHours || r.Metric == UsageMetric.Studies)
                && r.Granularity == RollupGranularity.Day && r.PeriodStart >= start && r.PeriodStart < end)
            .Select(r => new HistoryRow { Metric = r.Metric, Timestamp = r.LastValueAt ?? r.PeriodStart, Quantity = r.LastValue ?? r.Sum, Id = 0 });
        var fresh = db.UsageEvents.AsNoTracking()
            .Where(e => (e.Metric == UsageMetric.ApiCalls || e.Metric == UsageMetric.StorageGb || e.Metric == UsageMetric.GpuHours || e.Metric == UsageMetric.Studies)
                && e.Id > watermark.First() && e.Timestamp >= start && e.Timestamp < end)
            .Select(e => new HistoryRow { Metric = e.Metric, Timestamp = e.Timestamp, Quantity = e.Quantity, Id = e.Id });
        var rows = await rolled.Concat(fresh).ToListAsync(cancellationToken);
        var byDay = rows.ToLookup(r => (r.Metric, Day: DateOnly.FromDateTime(r.Timestamp.UtcDateTime)));
        var gaugeStart = new Dictionary<UsageMetric, decimal>();
        foreach (var gauge in new[] { UsageMetric.StorageGb, UsageMetric.Studies })
            gaugeStart[gauge] = await UsageMeter.LatestLevelAsync(db, gauge, start.AddTicks(-1), cancellationToken);

        var result = new List<DailyUsage>();
        foreach (var metric in UsageMetrics.Reported)
        {
            var level = gaugeStart.GetValueOrDefault(metric);
            for (var day = from; day <= to; day = day.AddDays(1))
            {
                var ofDay = byDay[(metric, day)];
                if (UsageMetrics.Kind(metric) == MetricKind.Counter)
                {
                    result.Add(new DailyUsage(day, metric, ofDay.Sum(e => e.Quantity)));
                    continue;
                }
                if (ofDay.Any())
                    level = ofDay.OrderBy(e => e.Timestamp).ThenBy(e => e.Id).Last().Quantity;
                result.Add(new DailyUsage(day, metric, level));
            }
        }
        return result;
    }

    // One row of the history read: a day rollup or a fresh event.
    private sealed class HistoryRow
    {
        public UsageMetric Metric { get; init; }
        public DateTimeOffset Timestamp { get; init; }
        public decimal Quantity { get; init; }
        public long Id { get; init; }
    }
}
