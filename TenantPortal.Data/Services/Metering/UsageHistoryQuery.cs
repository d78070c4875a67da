using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>A page of the rolled-up usage history: which metric(s), at which granularity, over which range, from where.</summary>
/// <param name="Metric">One reported metric, or null for every one.</param>
/// <param name="Granularity">The rollup bucket size: hour, day or month.</param>
/// <param name="From">The first instant (inclusive; periods starting at or after it); null: see <see cref="UsageHistoryService.QueryAsync"/>.</param>
/// <param name="To">The end (exclusive; periods starting before it); null: now.</param>
/// <param name="Limit">The most periods to return (at least 1).</param>
/// <param name="After">The key of the last period of the previous page; null for the first page.</param>
public sealed record UsageHistoryQuery(UsageMetric? Metric, RollupGranularity Granularity, DateTimeOffset? From, DateTimeOffset? To, int Limit,
    UsageHistoryKey? After = null);
