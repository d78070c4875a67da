using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>One rolled-up period of one metric.</summary>
/// <param name="Metric">The metric.</param>
/// <param name="Granularity">The period's size.</param>
/// <param name="PeriodStart">Its first instant (UTC).</param>
/// <param name="PeriodEnd">The first instant after it.</param>
/// <param name="Quantity">Counters: the sum of the period's events; gauges: the last level reported in the period.</param>
/// <param name="Key">The sort key of this item (where the next page starts after it).</param>
public sealed record UsageHistoryPoint(UsageMetric Metric, RollupGranularity Granularity, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd,
    decimal Quantity, UsageHistoryKey Key);
