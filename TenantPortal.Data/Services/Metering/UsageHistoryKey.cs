namespace TenantPortal.Data.Services.Metering;

/// <summary>Where a page of the usage history stops: the period start and the rollup id of its last item (the sort key).</summary>
/// <param name="PeriodStart">The period start of the last item.</param>
/// <param name="RollupId">Its rollup row's id (orders the metrics of one period).</param>
public sealed record UsageHistoryKey(DateTimeOffset PeriodStart, long RollupId);
