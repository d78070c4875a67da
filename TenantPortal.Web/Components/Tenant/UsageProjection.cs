using TenantPortal.Core.Billing;
using TenantPortal.Core.Usage;

namespace TenantPortal.Web.Components.Tenant;

/// <summary>
/// Projects a metric to the end of its billing period at the current burn rate. Counters: what is used so far plus the
/// average daily use (over the elapsed days, today counted as a whole day) times the days left. Gauges: the last level is
/// held. Pure arithmetic over whole UTC days, so that it can be checked by hand.
/// </summary>
public static class UsageProjection
{
    /// <summary>Projects a metric of the given kind (seats are held like a gauge).</summary>
    /// <param name="kind">How the metric aggregates.</param>
    /// <param name="dailyValues">One value per day from <paramref name="periodStart"/>: counters the day's sum, gauges the
    /// day's closing level. Values after <paramref name="today"/> are ignored; missing days count as 0 (counters) or the
    /// previous level (gauges).</param>
    /// <param name="periodStart">The period's first day.</param>
    /// <param name="periodEnd">The first day after the period (exclusive end, as <c>UsageReport.PeriodEnd</c>).</param>
    /// <param name="today">The current day, within the period.</param>
    /// <param name="limit">The quota; <see cref="PlanCatalog.Unlimited"/> for none.</param>
    public static ProjectedUsage Project(MetricKind kind, IReadOnlyList<decimal> dailyValues, DateOnly periodStart, DateOnly periodEnd, DateOnly today, decimal limit) =>
        kind == MetricKind.Counter
            ? Counter(dailyValues, periodStart, periodEnd, today, limit)
            : Gauge(dailyValues, periodStart, periodEnd, today, limit);

    /// <summary>Projects a counter: cumulative so far plus the average daily rate times the days left.</summary>
    public static ProjectedUsage Counter(IReadOnlyList<decimal> dailyValues, DateOnly periodStart, DateOnly periodEnd, DateOnly today, decimal limit)
    {
        var (elapsed, daysLeft) = Days(periodStart, periodEnd, today);
        var actual = new List<decimal>(elapsed);
        var sum = 0m;
        DateOnly? reached = null;
        for (var i = 0; i < elapsed; i++)
        {
            sum += i < dailyValues.Count ? dailyValues[i] : 0;
            actual.Add(sum);
            if (reached is null && Reached(sum, limit))
                reached = periodStart.AddDays(i);
        }
        var rate = sum / elapsed;
        var projected = new List<decimal>(daysLeft + 1);
        for (var d = 0; d <= daysLeft; d++)
            projected.Add(sum + rate * d);
        if (reached is null && limit != PlanCatalog.Unlimited && rate > 0)
        {
            // The first whole day whose projected cumulative use reaches the quota.
            var days = (int)Math.Ceiling((limit - sum) / rate);
            if (days <= daysLeft)
                reached = today.AddDays(days);
        }
        return new ProjectedUsage(sum, rate, projected[^1], reached, actual, projected);
    }

    /// <summary>Projects a gauge: the last level is held to the end of the period.</summary>
    public static ProjectedUsage Gauge(IReadOnlyList<decimal> dailyLevels, DateOnly periodStart, DateOnly periodEnd, DateOnly today, decimal limit)
    {
        var (elapsed, daysLeft) = Days(periodStart, periodEnd, today);
        var actual = new List<decimal>(elapsed);
        var level = 0m;
        DateOnly? reached = null;
        for (var i = 0; i < elapsed; i++)
        {
            if (i < dailyLevels.Count)
                level = dailyLevels[i];
            actual.Add(level);
            // A gauge can fall back below its quota: what counts is whether today's level is at or over it.
            reached = Reached(level, limit) ? reached ?? periodStart.AddDays(i) : null;
        }
        var projected = Enumerable.Repeat(level, daysLeft + 1).ToList();
        return new ProjectedUsage(level, 0, level, reached, actual, projected);
    }

    private static bool Reached(decimal value, decimal limit) =>
        limit != PlanCatalog.Unlimited && (limit > 0 ? value >= limit : value > 0);

    private static (int Elapsed, int DaysLeft) Days(DateOnly periodStart, DateOnly periodEnd, DateOnly today)
    {
        if (periodEnd <= periodStart)
            throw new ArgumentException("The period must end after it starts.", nameof(periodEnd));
        if (today < periodStart || today >= periodEnd)
            throw new ArgumentOutOfRangeException(nameof(today), today, "Today must lie within the period.");
        var elapsed = today.DayNumber - periodStart.DayNumber + 1;
        return (elapsed, periodEnd.DayNumber - today.DayNumber - 1);
    }
}
