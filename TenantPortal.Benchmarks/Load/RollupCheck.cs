using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Usage;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// A rollup's correctness, checked after the timed run: every event counted once at each granularity, and each
/// granularity's sums per metric equal to the events' exact sums (decimal, as EF Core sums them on SQLite); and every
/// gauge rollup's latest reading and level-hours equal to an independent computation from all the gauge's readings
/// (<see cref="PeriodMath.TimeWeightedAverage"/> over the tenant's whole series, in (timestamp, id) order).
/// </summary>
public static class RollupCheck
{
    /// <summary>Throws when the rollups disagree with the events; returns a short note for the report.</summary>
    public static async Task<string> VerifyAsync(LoadDatabase database, long expectedEvents, CancellationToken cancellationToken)
    {
        await using var db = database.CrossTenant();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        var events = await db.UsageEvents.GroupBy(e => e.Metric)
            .Select(g => new { Metric = g.Key, Count = g.LongCount(), Sum = g.Sum(e => e.Quantity) })
            .ToDictionaryAsync(x => x.Metric, cancellationToken);
        if (events.Values.Sum(e => e.Count) != expectedEvents)
            throw new InvalidOperationException($"Expected {expectedEvents} events, found {events.Values.Sum(e => e.Count)}.");
        var rollups = await db.UsageRollups.GroupBy(r => new { r.Granularity, r.Metric })
            .Select(g => new { g.Key.Granularity, g.Key.Metric, Count = g.Sum(r => r.EventCount), Sum = g.Sum(r => r.Sum) })
            .ToListAsync(cancellationToken);
        foreach (var granularity in Enum.GetValues<RollupGranularity>())
            foreach (var (metric, expected) in events)
            {
                var got = rollups.SingleOrDefault(r => r.Granularity == granularity && r.Metric == metric);
                if (got is null || got.Count != expected.Count || got.Sum != expected.Sum)
                    throw new InvalidOperationException($"{granularity} {metric}: rollups {got?.Count} events / {got?.Sum}, events {expected.Count} / {expected.Sum}.");
            }
        var gauges = await VerifyGaugesAsync(database, db, cancellationToken);
        return $"verified: {expectedEvents:N0} events once per granularity, sums exact ({string.Join(", ", events.Select(e => $"{e.Key} {e.Value.Sum}"))}), "
            + $"{gauges:N0} gauge rollups' latest reading and level-hours";
    }

    // The gauges' readings are few (one event in a thousand in the generated data): read them all and recompute.
    private static async Task<int> VerifyGaugesAsync(LoadDatabase database, TenantPortal.Data.PortalDbContext db, CancellationToken cancellationToken)
    {
        var readings = (await db.UsageEvents.AsNoTracking().Where(e => e.Metric == UsageMetric.StorageGb || e.Metric == UsageMetric.Studies)
                .Select(e => new { e.Id, e.TenantId, e.Metric, e.Timestamp, e.Quantity }).ToListAsync(cancellationToken))
            .GroupBy(e => (e.TenantId, e.Metric))
            .ToDictionary(g => g.Key, g => g.OrderBy(e => e.Timestamp).ThenBy(e => e.Id).Select(e => (At: e.Timestamp, Level: e.Quantity)).ToList());
        var rollups = await db.UsageRollups.AsNoTracking().Where(r => r.Metric == UsageMetric.StorageGb || r.Metric == UsageMetric.Studies).ToListAsync(cancellationToken);
        foreach (var rollup in rollups)
        {
            var series = readings[(rollup.TenantId, rollup.Metric)];
            var end = rollup.Granularity switch
            {
                RollupGranularity.Hour => rollup.PeriodStart.AddHours(1),
                RollupGranularity.Day => rollup.PeriodStart.AddDays(1),
                _ => rollup.PeriodStart.AddMonths(1),
            };
            var latest = series.Last(r => r.At >= rollup.PeriodStart && r.At < end);
            var levelHours = PeriodMath.TimeWeightedAverage(series, rollup.PeriodStart, end) * (decimal)(end - rollup.PeriodStart).TotalHours;
            // PostgreSQL's numeric(28, 6) rounds the stored value; SQLite keeps the decimal's text.
            if (database.Provider == LoadProvider.PostgreSql)
                levelHours = Math.Round(levelHours, 6, MidpointRounding.AwayFromZero);
            if (rollup.LastValue != latest.Level || rollup.LastValueAt != latest.At || rollup.LevelHours != levelHours)
                throw new InvalidOperationException($"{rollup.Granularity} {rollup.Metric} of {rollup.TenantId} at {rollup.PeriodStart:O}: latest {rollup.LastValue} at {rollup.LastValueAt:O}, "
                    + $"level-hours {rollup.LevelHours}; expected {latest.Level} at {latest.At:O}, {levelHours}.");
        }
        return rollups.Count;
    }
}
