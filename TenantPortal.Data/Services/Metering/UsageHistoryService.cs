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

        // One period of a tenant's events is small; the metering rollups will take this over for long ranges.
        var events = await db.UsageEvents.AsNoTracking()
            .Where(e => e.Timestamp >= start && e.Timestamp < end)
            .Select(e => new { e.Metric, e.Quantity, e.Timestamp, e.Id })
            .ToListAsync(cancellationToken);
        var gaugeStart = new Dictionary<UsageMetric, decimal>();
        foreach (var gauge in new[] { UsageMetric.StorageGb, UsageMetric.Studies })
            gaugeStart[gauge] = await UsageMeter.LatestLevelAsync(db, gauge, start.AddTicks(-1), cancellationToken);

        var result = new List<DailyUsage>();
        foreach (var metric in UsageMetrics.Reported)
        {
            var level = gaugeStart.GetValueOrDefault(metric);
            for (var day = from; day <= to; day = day.AddDays(1))
            {
                var ofDay = events.Where(e => e.Metric == metric && DateOnly.FromDateTime(e.Timestamp.UtcDateTime) == day).ToList();
                if (UsageMetrics.Kind(metric) == MetricKind.Counter)
                {
                    result.Add(new DailyUsage(day, metric, ofDay.Sum(e => e.Quantity)));
                    continue;
                }
                if (ofDay.Count > 0)
                    level = ofDay.OrderBy(e => e.Timestamp).ThenBy(e => e.Id).Last().Quantity;
                result.Add(new DailyUsage(day, metric, level));
            }
        }
        return result;
    }
}
