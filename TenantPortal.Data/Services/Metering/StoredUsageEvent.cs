using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>An event a batch stored (not a duplicate), with the id the database gave it.</summary>
public sealed record StoredUsageEvent(long Id, UsageMetric Metric, decimal Quantity, DateTimeOffset Timestamp);
