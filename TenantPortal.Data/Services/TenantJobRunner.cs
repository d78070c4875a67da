using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services;

/// <summary>
/// Runs a job's work for many tenants, each in a DI scope of its own whose tenant context is that tenant, so the work
/// reads and writes through the tenant filter like a request would. A failing tenant does not stop the others; the run
/// throws at the end so that the job is retried (safe: every job derives its work from the database).
/// </summary>
public sealed class TenantJobRunner(IServiceScopeFactory scopes, ILogger<TenantJobRunner> logger)
{
    /// <summary>Runs <paramref name="work"/> for each tenant in order and returns the results of those that succeeded.</summary>
    public async Task<List<T>> ForEachAsync<T>(string job, IReadOnlyList<Guid> tenantIds, Func<IServiceProvider, CancellationToken, Task<T>> work,
        CancellationToken cancellationToken)
    {
        var results = new List<T>(tenantIds.Count);
        var failures = new List<Exception>();
        foreach (var tenantId in tenantIds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(tenantId);
            try
            {
                results.Add(await work(scope.ServiceProvider, cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "{Job} failed for tenant {TenantId}", job, tenantId);
                failures.Add(ex);
            }
        }
        if (failures.Count > 0)
            throw new AggregateException($"{job} failed for {failures.Count} of {tenantIds.Count} tenants.", failures);
        return results;
    }
}
