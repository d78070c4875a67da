namespace TenantPortal.Data.Services.Metering;

/// <summary>Told of every tenant's usage report the quota-alerts run computes (the metrics exporter publishes them).</summary>
public interface IUsageReportObserver
{
    /// <summary>A tenant's report of the running period.</summary>
    void Observe(Guid tenantId, UsageReport report);
}
