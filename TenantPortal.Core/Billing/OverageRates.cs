using TenantPortal.Core.Usage;

namespace TenantPortal.Core.Billing;

/// <summary>Overage unit prices in (fractional) cents: API call $0.001, storage $0.023 per GB-month, GPU hour $2.50.</summary>
public static class OverageRates
{
    /// <summary>One API call: 0.1 cent.</summary>
    public const decimal ApiCallCents = 0.1m;

    /// <summary>One GB-month of storage: 2.3 cents.</summary>
    public const decimal StorageGbMonthCents = 2.3m;

    /// <summary>One GPU hour: 250 cents.</summary>
    public const decimal GpuHourCents = 250m;

    /// <summary>The unit price of a metric's overage, or null when the metric has none (a hard limit).</summary>
    public static decimal? UnitPriceCents(UsageMetric metric) => metric switch
    {
        UsageMetric.ApiCalls => ApiCallCents,
        UsageMetric.StorageGb => StorageGbMonthCents,
        UsageMetric.GpuHours => GpuHourCents,
        _ => null,
    };
}
