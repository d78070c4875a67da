using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

/// <summary>
/// The job runner: each tenant in a scope of its own whose tenant context is that tenant; one after another, or several at
/// once up to a limit (monthly invoicing on a server database), with the results in the tenants' order either way and a
/// failing tenant never stopping the others.
/// </summary>
public sealed class TenantJobRunnerTests
{
    private static readonly IReadOnlyList<Guid> Tenants = Enumerable.Range(1, 6).Select(i => new Guid(i, 0, 0, new byte[8])).ToList();

    [Fact]
    public async Task SeveralAtOnce_UpToTheLimit_EachInItsOwnTenantScope_ResultsInTheTenantsOrder()
    {
        await using var services = Services();
        var inFlight = 0;
        var mostAtOnce = 0;
        var threeAtOnce = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var results = await services.GetRequiredService<TenantJobRunner>().ForEachAsync("test", Tenants, async (scope, _) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref mostAtOnce, now);
            if (now == 3)
                threeAtOnce.TrySetResult();
            // The first three meet here: with one tenant at a time this would never complete.
            await threeAtOnce.Task.WaitAsync(TestTimeouts.Generous);
            Interlocked.Decrement(ref inFlight);
            return scope.GetRequiredService<ITenantContext>().TenantId!.Value;
        }, CancellationToken.None, maxParallel: 3);

        Assert.Equal(Tenants, results);
        Assert.Equal(3, mostAtOnce);
    }

    [Fact]
    public async Task OneAtATime_ByDefault()
    {
        await using var services = Services();
        var inFlight = 0;
        var mostAtOnce = 0;

        var results = await services.GetRequiredService<TenantJobRunner>().ForEachAsync("test", Tenants, async (scope, _) =>
        {
            InterlockedMax(ref mostAtOnce, Interlocked.Increment(ref inFlight));
            await Task.Yield();
            Interlocked.Decrement(ref inFlight);
            return scope.GetRequiredService<ITenantContext>().TenantId!.Value;
        }, CancellationToken.None);

        Assert.Equal(Tenants, results);
        Assert.Equal(1, mostAtOnce);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task AFailingTenant_DoesNotStopTheOthers_AndTheRunThrowsAtItsEnd(int maxParallel)
    {
        await using var services = Services();
        var ran = new System.Collections.Concurrent.ConcurrentBag<Guid>();

        var failure = await Assert.ThrowsAsync<AggregateException>(() => services.GetRequiredService<TenantJobRunner>().ForEachAsync("test", Tenants, async (scope, _) =>
        {
            await Task.Yield();
            var tenantId = scope.GetRequiredService<ITenantContext>().TenantId!.Value;
            ran.Add(tenantId);
            return tenantId == Tenants[2] ? throw new InvalidOperationException("tenant 3 fails") : tenantId;
        }, CancellationToken.None, maxParallel));

        Assert.Equal("tenant 3 fails", Assert.Single(failure.InnerExceptions).Message);
        Assert.Equal(Tenants.Order(), ran.Order());
    }

    [Theory]
    [InlineData(true, 16, 1)]
    [InlineData(false, 1, 2)]
    [InlineData(false, 2, 2)]
    [InlineData(false, 4, 4)]
    [InlineData(false, 64, 8)]
    public void Invoicing_OneTenantAtATimeOnSqlite_OnePerCoreOnAServerDatabase(bool sqlite, int processors, int expected) =>
        Assert.Equal(expected, InvoicingService.ParallelTenants(sqlite, processors));

    private static ServiceProvider Services()
    {
        var services = new ServiceCollection();
        services.AddScoped<ITenantContext, TenantContext>();
        services.AddSingleton<TenantJobRunner>();
        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        return services.BuildServiceProvider();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
                return;
            seen = previous;
        }
    }
}
