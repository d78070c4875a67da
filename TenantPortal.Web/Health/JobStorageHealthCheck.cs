using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TenantPortal.Web.Health;

/// <summary>Ready when Hangfire's storage answers (in memory, or the SQL Server tables).</summary>
public sealed class JobStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var stats = storage.GetMonitoringApi().GetStatistics();
            return Task.FromResult(HealthCheckResult.Healthy($"{stats.Servers} job server(s), {stats.Recurring} recurring job(s)"));
        }
        catch (Exception ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The job storage does not answer.", ex));
        }
    }
}
