using TenantPortal.Core.Usage;

namespace TenantPortal.Core.Billing;

/// <summary>
/// A tenant's billable usage of one period: counters summed, storage as GB-months
/// (the time-weighted average level over the period).
/// </summary>
public sealed record PeriodUsage(decimal ApiCalls, decimal StorageGbMonths, decimal GpuHours)
{
    /// <summary>The billable quantity of a priced metric.</summary>
    public decimal Quantity(UsageMetric metric) => metric switch
    {
        UsageMetric.ApiCalls => ApiCalls,
        UsageMetric.StorageGb => StorageGbMonths,
        UsageMetric.GpuHours => GpuHours,
        _ => 0,
    };
}
