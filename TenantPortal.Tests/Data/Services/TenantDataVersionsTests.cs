using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data;
using TenantPortal.Data.Interceptors;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

/// <summary>
/// The tenant change versions live panels compare: ingestion, saves touching the tenant or its rows, rollup runs and
/// refusal flushes move the touched tenant's version and no other.
/// </summary>
public abstract class TenantDataVersionsTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : TenantDataVersionsTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : TenantDataVersionsTests(DatabaseProvider.PostgreSql);

    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);
    private readonly TenantDataVersions _versions = new();

    public Task InitializeAsync() => _bed.InitializeAsync();

    public Task DisposeAsync() => _bed.DisposeAsync();

    private PortalDbContext CrossTenant()
    {
        var tenant = new TenantContext();
        tenant.BeginCrossTenantScope("test arrangement");
        return _bed.Database.CreateContext(tenant, new TenantDataVersionInterceptor(_versions));
    }

    [Fact]
    public async Task Ingestion_MovesTheTenantsVersionOnly()
    {
        var (alpha, beta) = (_versions.Current(_bed.AlphaId), _versions.Current(_bed.BetaId));
        var ingestion = new UsageIngestionService(_bed.UsageEventStore, [_versions], _bed.Time);

        await ingestion.IngestAsync(_bed.AlphaId, [new UsageEventInput("evt-1", UsageMetric.ApiCalls, 3, _bed.Time.GetUtcNow())], CancellationToken.None);

        Assert.NotEqual(alpha, _versions.Current(_bed.AlphaId));
        Assert.Equal(beta, _versions.Current(_bed.BetaId));
    }

    [Fact]
    public async Task APlanChangeSaved_MovesTheTenantsVersionOnly()
    {
        var (alpha, beta) = (_versions.Current(_bed.AlphaId), _versions.Current(_bed.BetaId));

        await using (var db = CrossTenant())
        {
            (await db.Tenants.SingleAsync(t => t.Id == _bed.AlphaId)).ChangeTierByOperator(SubscriptionTier.Enterprise, _bed.Time.GetUtcNow());
            await db.SaveChangesAsync();
        }

        Assert.NotEqual(alpha, _versions.Current(_bed.AlphaId));
        Assert.Equal(beta, _versions.Current(_bed.BetaId));
    }

    [Fact]
    public async Task AQuotaOverrideSavedInATransaction_MovesTheVersionAgainAtCommit()
    {
        await using var db = CrossTenant();
        var afterSave = await db.InTransactionAsync(async (transaction, ct) =>
        {
            db.QuotaOverrides.Add(new QuotaOverride { TenantId = _bed.AlphaId, Metric = UsageMetric.ApiCalls, Limit = 5 });
            await db.SaveChangesAsync(ct);
            var afterSave = _versions.Current(_bed.AlphaId);
            await transaction.CommitAsync(ct);
            return afterSave;
        }, CancellationToken.None);

        Assert.NotEqual(afterSave, _versions.Current(_bed.AlphaId));
    }

    [Fact]
    public async Task ARefusalFlush_MovesTheCountedTenantsVersion()
    {
        var alpha = _versions.Current(_bed.AlphaId);
        var scope = _bed.In(null);
        var refusals = new ApiRefusalService(scope.Contexts, scope.Tenant, _versions);

        await refusals.AddAsync([new RefusalCount(_bed.AlphaId, new DateOnly(2026, 11, 22), "rate_limited", 2)], CancellationToken.None);

        Assert.NotEqual(alpha, _versions.Current(_bed.AlphaId));
    }
}
