using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>One day of one metric: counters' sum, gauges' level at the end of the day.</summary>
public sealed record DailyUsage(DateOnly Day, UsageMetric Metric, decimal Value);
