using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Usage;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// A rollup's correctness, checked after the timed run: every event counted once at each granularity, and each
/// granularity's sums per metric equal to the events' exact sums (decimal, as EF Core sums them on SQLite).
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
        return $"verified: {expectedEvents:N0} events once per granularity, sums exact ({string.Join(", ", events.Select(e => $"{e.Key} {e.Value.Sum}"))})";
    }
}
