using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// The current tenant's usage day by day over a range (UTC days): counters summed per day, gauges at their last level
/// of the day (carried forward over days without a reading). Seats are not reported as events and have no history.
/// Also the rolled-up history by hour, day or month, paged (<see cref="QueryAsync"/>).
/// </summary>
public sealed class UsageHistoryService(IDbContextFactory<PortalDbContext> contexts, TimeProvider time)
{
    /// <summary>The longest range of an hourly history.</summary>
    public static readonly TimeSpan MaxHourSpan = TimeSpan.FromDays(31);

    /// <summary>The longest range of a daily history.</summary>
    public static readonly TimeSpan MaxDaySpan = TimeSpan.FromDays(366);

    /// <summary>The longest range of a monthly history, in months.</summary>
    public const int MaxMonthSpan = 60;

    /// <summary>
    /// The rolled-up periods of <see cref="UsageHistoryQuery.Granularity"/> starting in [from, to), oldest first (then in
    /// rollup order), after <see cref="UsageHistoryQuery.After"/>; periods with no rolled-up usage are not listed, and
    /// events the rollup job has not reached yet appear after its next run. Needs the right to view usage (Viewer, or a
    /// key with usage:read). Defaults: <c>to</c> is now; <c>from</c> is the start of the billing period (calendar month)
    /// that <c>to</c> falls in for hours and days, and 11 months before it for months (a year of months). The range must
    /// be non-empty and at most 31 days of hours, 366 days of days or 60 months.
    /// </summary>
    public async Task<Result<UsageHistoryPage>> QueryAsync(Actor actor, UsageHistoryQuery query, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        if (query.Metric is { } asked && !UsageMetrics.Reported.Contains(asked))
            return Error.Invalid("metric", $"{UsageMetrics.Name(asked)} has no history (seats are counted from members); use one of {string.Join(", ", UsageMetrics.Reported.Select(UsageMetrics.Name))}.");
        if (!Enum.IsDefined(query.Granularity))
            return Error.Invalid("granularity", "granularity must be hour, day or month.");
        var range = Range(query, time.GetUtcNow());
        if (!range.IsSuccess)
            return range.Error;
        var (from, to) = range.Value;

        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewUsage, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var rollups = db.UsageRollups.AsNoTracking()
            .Where(r => r.Granularity == query.Granularity && r.PeriodStart >= from && r.PeriodStart < to);
        // The metrics are named as constants so the read seeks the (tenant, metric, granularity, period) index.
        rollups = query.Metric is { } metric
            ? rollups.Where(r => r.Metric == metric)
            : rollups.Where(r => r.Metric == UsageMetric.ApiCalls || r.Metric == UsageMetric.StorageGb || r.Metric == UsageMetric.GpuHours || r.Metric == UsageMetric.Studies);
        if (query.After is { } after)
            rollups = rollups.Where(r => r.PeriodStart > after.PeriodStart || (r.PeriodStart == after.PeriodStart && r.Id > after.RollupId));
        // On SQL Server in a snapshot: a running rollup holds the rollup rows it touched locked until it commits.
        var rows = await MeteringReads.OneStatementAsync(db, ct => rollups.OrderBy(r => r.PeriodStart).ThenBy(r => r.Id).Take(query.Limit + 1)
            .Select(r => new { r.Id, r.Metric, r.PeriodStart, r.Sum, r.LastValue })
            .ToListAsync(ct), cancellationToken);
        var items = rows.Take(query.Limit).Select(r => new UsageHistoryPoint(r.Metric, query.Granularity, r.PeriodStart, End(query.Granularity, r.PeriodStart),
            UsageMetrics.Kind(r.Metric) == MetricKind.Gauge ? r.LastValue ?? r.Sum : r.Sum, new UsageHistoryKey(r.PeriodStart, r.Id))).ToList();
        return new UsageHistoryPage(items, rows.Count > query.Limit ? items[^1].Key : null, from, to);
    }

    // The range asked for, with the defaults filled in, or the error naming the bad bound.
    private static Result<(DateTimeOffset From, DateTimeOffset To)> Range(UsageHistoryQuery query, DateTimeOffset now)
    {
        var to = (query.To ?? now).ToUniversalTime();
        var from = (query.From ?? query.Granularity switch
        {
            RollupGranularity.Month => PeriodMath.MonthStart(to.AddTicks(-1)).AddMonths(-11),
            _ => PeriodMath.MonthStart(to.AddTicks(-1)),
        }).ToUniversalTime();
        var culprit = query.To is not null ? "to" : "from";
        if (to <= from)
            return Error.Invalid(culprit, "to must be after from.");
        var tooLong = query.Granularity switch
        {
            RollupGranularity.Hour => to - from > MaxHourSpan ? $"An hourly history spans at most {MaxHourSpan.TotalDays:0} days." : null,
            RollupGranularity.Day => to - from > MaxDaySpan ? $"A daily history spans at most {MaxDaySpan.TotalDays:0} days." : null,
            _ => to > from.AddMonths(MaxMonthSpan) ? $"A monthly history spans at most {MaxMonthSpan} months." : null,
        };
        return tooLong is null ? (from, to) : Error.Invalid(culprit, tooLong + " Narrow from and to, or use a coarser granularity.");
    }

    private static DateTimeOffset End(RollupGranularity granularity, DateTimeOffset start) => granularity switch
    {
        RollupGranularity.Hour => start.AddHours(1),
        RollupGranularity.Day => start.AddDays(1),
        _ => start.AddMonths(1),
    };

    /// <summary>Every day in [<paramref name="from"/>, <paramref name="to"/>] for the reported metrics, oldest first.</summary>
    public async Task<IReadOnlyList<DailyUsage>> DailyAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        if (db.Tenant.TenantId is null)
            throw new InvalidOperationException("Usage history needs a current tenant.");
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        // Rolled-up days plus the events past the rollup watermark, in one statement (as UsageMeter.CountersAsync reads
        // them) and in one snapshot with the gauges' starting levels (MeteringReads: SQL Server's locking READ COMMITTED
        // would read the rows as it goes, so even one statement runs in SNAPSHOT there), so that a rollup committing
        // meanwhile can't count an event twice or not at all, nor make the read wait for it. A day rollup is one row
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
        var (rows, gaugeStart) = await MeteringReads.OneSnapshotAsync(db, async ct =>
        {
            var read = await rolled.Concat(fresh).ToListAsync(ct);
            var levels = new Dictionary<UsageMetric, decimal>();
            foreach (var gauge in new[] { UsageMetric.StorageGb, UsageMetric.Studies })
                levels[gauge] = await UsageMeter.LatestLevelAsync(db, gauge, start.AddTicks(-1), ct);
            return (read, levels);
        }, cancellationToken);
        var byDay = rows.ToLookup(r => (r.Metric, Day: DateOnly.FromDateTime(r.Timestamp.UtcDateTime)));

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
