namespace TenantPortal.Web.Components.Tenant;

/// <summary>Where one metric stands and where it is heading by the end of the period, at the current burn rate.</summary>
/// <param name="SoFar">Counters: the period's sum up to today; gauges: today's level.</param>
/// <param name="DailyRate">Counters: the average per elapsed day (today included); gauges: 0 (the level is held).</param>
/// <param name="ProjectedTotal">The value expected on the period's last day.</param>
/// <param name="LimitReachedOn">The day the quota is (or was) reached; null when unlimited or not within the period.</param>
/// <param name="Actual">One value per day from the period start to today: cumulative for counters, level for gauges.</param>
/// <param name="Projected">One value per day from today to the period's last day (today's equals <paramref name="SoFar"/>).</param>
public sealed record ProjectedUsage(
    decimal SoFar,
    decimal DailyRate,
    decimal ProjectedTotal,
    DateOnly? LimitReachedOn,
    IReadOnlyList<decimal> Actual,
    IReadOnlyList<decimal> Projected);
