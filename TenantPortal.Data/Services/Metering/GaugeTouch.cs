using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>A tenant's gauge that got readings in a rollup run, and the earliest timestamp among them.</summary>
public readonly record struct GaugeTouch(Guid TenantId, UsageMetric Metric, DateTimeOffset FirstNew);
