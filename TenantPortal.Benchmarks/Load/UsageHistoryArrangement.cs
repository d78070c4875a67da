using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// A tenant's year of usage as the API would have reported it: one event an hour for every reported metric (counters
/// with a small varying quantity, gauges with a slowly growing level), then the portal's metering rollup run once in
/// process so that hours, days and months are rolled up as the running portal leaves them.
/// </summary>
public static class UsageHistoryArrangement
{
    /// <summary>The reported metrics an event is written for each hour.</summary>
    public static readonly UsageMetric[] Metrics = [UsageMetric.ApiCalls, UsageMetric.StorageGb, UsageMetric.GpuHours, UsageMetric.Studies];

    /// <summary>Inserts <paramref name="days"/> days of hourly events up to <paramref name="now"/> and rolls them up; returns the event count.</summary>
    public static async Task<int> AddYearAsync(LoadDatabase database, Guid tenantId, DateTimeOffset now, int days, CancellationToken cancellationToken)
    {
        var start = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(-days);
        var hours = (int)(now - start).TotalHours;
        var events = Enumerable.Range(0, hours).SelectMany(h => Metrics.Select(metric => (
            TenantId: tenantId,
            ClientEventId: $"history-{h}-{(int)metric}",
            Metric: metric,
            Quantity: metric switch
            {
                UsageMetric.ApiCalls => 100m + h % 17,
                UsageMetric.GpuHours => 0.25m,
                UsageMetric.StorageGb => 10m + h / 500m,
                _ => 5m + h / 1_000,
            },
            Timestamp: start.AddHours(h).AddMinutes(7))));
        var list = events.ToList();
        await database.InsertEventsAsync(list, now, cancellationToken);

        var contexts = new LoadContextFactory(database, null, "load harness: rollup of the history tenant");
        var rollup = new MeteringRollupService(contexts, new SqliteRollupStore(), new SqliteUsageCommitBarrier(), contexts.Tenant, new FixedClock(now));
        while ((await rollup.RunAsync(cancellationToken)).Events > 0)
        {
            // A backlog over a run's size takes several runs.
        }
        return list.Count;
    }
}
