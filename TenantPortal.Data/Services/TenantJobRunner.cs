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
    /// <summary>
    /// Runs <paramref name="work"/> for each tenant and returns the results of those that succeeded, in the tenants' order:
    /// one tenant after another, or up to <paramref name="maxParallel"/> at once (each in its own scope, so its own
    /// database context and transaction; a job passes more than one only for work whose tenants share nothing but the
    /// database, on a database that takes concurrent writers).
    /// </summary>
    public async Task<List<T>> ForEachAsync<T>(string job, IReadOnlyList<Guid> tenantIds, Func<IServiceProvider, CancellationToken, Task<T>> work,
        CancellationToken cancellationToken, int maxParallel = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallel, 1);
        var results = new (bool Done, T Value)[tenantIds.Count];
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        async Task RunOneAsync(int index, CancellationToken ct)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(tenantIds[index]);
            try
            {
                results[index] = (true, await work(scope.ServiceProvider, ct));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "{Job} failed for tenant {TenantId}", job, tenantIds[index]);
                failures.Enqueue(ex);
            }
        }
        if (maxParallel == 1)
        {
            for (var i = 0; i < tenantIds.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await RunOneAsync(i, cancellationToken);
            }
        }
        else
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, tenantIds.Count),
                new ParallelOptions { MaxDegreeOfParallelism = maxParallel, CancellationToken = cancellationToken },
                async (index, ct) => await RunOneAsync(index, ct));
        }
        if (!failures.IsEmpty)
            throw new AggregateException($"{job} failed for {failures.Count} of {tenantIds.Count} tenants.", failures);
        return results.Where(r => r.Done).Select(r => r.Value).ToList();
    }
}
