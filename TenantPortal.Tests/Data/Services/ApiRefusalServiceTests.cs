using Microsoft.Extensions.Time.Testing;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Observability;

namespace TenantPortal.Tests.Data.Services;

public abstract class ApiRefusalServiceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : ApiRefusalServiceTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : ApiRefusalServiceTests(DatabaseProvider.PostgreSql);

    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);
    private static readonly DateOnly Today = new(2026, 11, 22);

    public Task InitializeAsync() => _bed.InitializeAsync();
    public Task DisposeAsync() => _bed.DisposeAsync();

    private ApiRefusalService Service(Guid? tenantId)
    {
        var scope = _bed.In(tenantId);
        return new ApiRefusalService(scope.Contexts, scope.Tenant);
    }

    [Fact]
    public async Task Add_AccumulatesCountsFromSeveralFlushes_PerTenantDayAndReason()
    {
        await Service(null).AddAsync([new(_bed.AlphaId, Today, ApiRefusalDay.RateLimited, 5), new(_bed.BetaId, Today, ApiRefusalDay.RateLimited, 9)], CancellationToken.None);
        await Service(null).AddAsync([new(_bed.AlphaId, Today, ApiRefusalDay.RateLimited, 3), new(_bed.AlphaId, Today, ApiRefusalDay.QuotaDenied, 1)], CancellationToken.None);

        var alpha = await Service(_bed.AlphaId).SinceAsync(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), CancellationToken.None);

        Assert.Equal([(ApiRefusalDay.QuotaDenied, 1L), (ApiRefusalDay.RateLimited, 8L)], alpha.Select(r => (r.Reason, r.Count)));
        Assert.All(alpha, r => Assert.Equal(Today, r.Day));
    }

    [Fact]
    public void Counter_DrainsWhatWasCounted_AndRestoresAFailedFlush()
    {
        var counter = new ApiRefusalCounter(new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero)));
        var tenant = Guid.NewGuid();
        counter.Count(tenant, ApiRefusalDay.RateLimited);
        counter.Count(tenant, ApiRefusalDay.RateLimited);

        var drained = counter.Drain();
        counter.Restore(drained);
        counter.Count(tenant, ApiRefusalDay.RateLimited);

        Assert.Equal(2, Assert.Single(drained).Count);
        Assert.Equal(3, Assert.Single(counter.Drain()).Count);
        Assert.Empty(counter.Drain());
    }
}
