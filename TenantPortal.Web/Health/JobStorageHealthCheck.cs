using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TenantPortal.Web.Health;

/// <summary>
/// Ready when Hangfire's storage answers (in memory, or its tables on the server database). Every instance's balancer
/// probes it every few seconds, so it asks one connection for one trivial answer: the storage's clock where the storage
/// has one (SQL Server: <c>SELECT SYSUTCDATETIME()</c>), else one hash read by its key (PostgreSQL: one indexed
/// <c>SELECT</c> that finds nothing). Never the dashboard's statistics, which count every state's jobs on every call.
/// </summary>
public sealed class JobStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    /// <summary>The hash the fallback probe reads: nothing ever writes it.</summary>
    public const string ProbeKey = "tenantportal:health-probe";

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var connection = storage.GetReadOnlyConnection();
            if (storage.HasFeature(JobStorageFeatures.Connection.GetUtcDateTime) && connection is JobStorageConnection withClock)
                withClock.GetUtcDateTime();
            else
                connection.GetAllEntriesFromHash(ProbeKey);
            return Task.FromResult(HealthCheckResult.Healthy("The job storage answers."));
        }
        catch (Exception ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The job storage does not answer.", ex));
        }
    }
}
