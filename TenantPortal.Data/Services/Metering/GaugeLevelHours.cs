using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// Gauges' time-weighted level (level-hours) of the rollups, recomputed set-based after a rollup run, on every provider
/// (EF Core only). For each (tenant, gauge) a run touched, the buckets from the UTC month of its earliest new reading on
/// are recomputed (that month whole, as before, and every later bucket, whose carried-in level a late reading can
/// change): per metric and month, one query reads the touched tenants' readings from that month on, one the last
/// reading before it, one their rollups; one save writes the values that changed. Each bucket's value is
/// <see cref="PeriodMath.TimeWeightedAverage"/> over the readings in (timestamp, id) order, times the bucket's hours.
/// </summary>
public static class GaugeLevelHours
{
    /// <summary>The metrics that are levels (gauges), whose rollups keep level-hours and their latest reading.</summary>
    public static readonly IReadOnlyList<UsageMetric> Gauges = [UsageMetric.StorageGb, UsageMetric.Studies];

    // Tenants per query: a list parameter far below every provider's limit on parameters (SQL Server: 2,100).
    private const int TenantsPerQuery = 500;

    /// <summary>Whether <paramref name="metric"/> is a gauge.</summary>
    public static bool IsGauge(UsageMetric metric) => metric is UsageMetric.StorageGb or UsageMetric.Studies;

    /// <summary>The (tenant, gauge) pairs with readings among the events of ids in (<paramref name="fromId"/>, <paramref name="toId"/>], each with its earliest.</summary>
    public static async Task<IReadOnlyList<GaugeTouch>> TouchedAsync(PortalDbContext db, long fromId, long toId, CancellationToken cancellationToken)
    {
        var readings = await db.UsageEvents
            .Where(e => e.Id > fromId && e.Id <= toId && (e.Metric == UsageMetric.StorageGb || e.Metric == UsageMetric.Studies))
            .Select(e => new { e.TenantId, e.Metric, e.Timestamp })
            .ToListAsync(cancellationToken);
        return readings.GroupBy(r => (r.TenantId, r.Metric))
            .Select(g => new GaugeTouch(g.Key.TenantId, g.Key.Metric, g.Min(r => r.Timestamp)))
            .ToList();
    }

    /// <summary>Recomputes the level-hours of the buckets the touched pairs' new readings can change, in <paramref name="db"/>'s transaction; one save.</summary>
    public static async Task RecomputeAsync(PortalDbContext db, IReadOnlyCollection<GaugeTouch> touched, CancellationToken cancellationToken)
    {
        if (touched.Count == 0)
            return;
        foreach (var group in touched.GroupBy(t => (t.Metric, Month: PeriodMath.MonthStart(t.FirstNew))))
            foreach (var chunk in group.Chunk(TenantsPerQuery))
                await RecomputeAsync(db, group.Key.Metric, group.Key.Month, chunk.Select(t => t.TenantId).Distinct().ToList(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static async Task RecomputeAsync(PortalDbContext db, UsageMetric metric, DateTimeOffset month, List<Guid> tenants, CancellationToken cancellationToken)
    {
        var readings = await db.UsageEvents.AsNoTracking()
            .Where(e => tenants.Contains(e.TenantId) && e.Metric == metric && e.Timestamp >= month)
            .OrderBy(e => e.Timestamp).ThenBy(e => e.Id)
            .Select(e => new { e.TenantId, e.Timestamp, e.Quantity })
            .ToListAsync(cancellationToken);
        var before = await db.UsageEvents.AsNoTracking()
            .Where(e => tenants.Contains(e.TenantId) && e.Metric == metric && e.Timestamp < month)
            .GroupBy(e => e.TenantId)
            .Select(g => g.OrderByDescending(e => e.Timestamp).ThenByDescending(e => e.Id).First())
            .ToListAsync(cancellationToken);
        var rollups = await db.UsageRollups
            .Where(r => tenants.Contains(r.TenantId) && r.Metric == metric && r.PeriodStart >= month)
            .ToListAsync(cancellationToken);

        var series = tenants.ToDictionary(t => t, _ => new List<(DateTimeOffset At, decimal Level)>());
        foreach (var reading in before)
            series[reading.TenantId].Add((reading.Timestamp, reading.Quantity));
        foreach (var reading in readings)
            series[reading.TenantId].Add((reading.Timestamp, reading.Quantity));
        foreach (var rollup in rollups)
        {
            var end = End(rollup);
            rollup.LevelHours = PeriodMath.TimeWeightedAverage(Window(series[rollup.TenantId], rollup.PeriodStart, end), rollup.PeriodStart, end)
                * (decimal)(end - rollup.PeriodStart).TotalHours;
        }
    }

    /// <summary>The end of a rollup's bucket.</summary>
    public static DateTimeOffset End(UsageRollup rollup) => rollup.Granularity switch
    {
        RollupGranularity.Hour => rollup.PeriodStart.AddHours(1),
        RollupGranularity.Day => rollup.PeriodStart.AddDays(1),
        _ => rollup.PeriodStart.AddMonths(1),
    };

    /// <summary>
    /// The readings of a (timestamp, id)-ordered series that <see cref="PeriodMath.TimeWeightedAverage"/> reads for
    /// [<paramref name="from"/>, <paramref name="to"/>): the last one at or before <paramref name="from"/> and those
    /// before <paramref name="to"/> after it. The average over the window equals the average over the whole series.
    /// </summary>
    public static List<(DateTimeOffset At, decimal Level)> Window(List<(DateTimeOffset At, decimal Level)> series, DateTimeOffset from, DateTimeOffset to)
    {
        var afterFrom = FirstAfter(series, from, inclusive: false);
        var start = Math.Max(0, afterFrom - 1);
        var end = Math.Max(start, FirstAfter(series, to, inclusive: true));
        return series.GetRange(start, end - start);
    }

    // The index of the first reading after `at` (inclusive: at or after `at`) in a time-ordered series.
    private static int FirstAfter(List<(DateTimeOffset At, decimal Level)> series, DateTimeOffset at, bool inclusive)
    {
        int low = 0, high = series.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            var before = inclusive ? series[middle].At < at : series[middle].At <= at;
            if (before)
                low = middle + 1;
            else
                high = middle;
        }
        return low;
    }
}
