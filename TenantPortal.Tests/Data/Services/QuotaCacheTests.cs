using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data;
using TenantPortal.Data.Interceptors;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

/// <summary>
/// The quota check with <c>Metering:QuotaCache=Local</c>: running totals kept by ingestion equal the database after
/// ingests, late events, rollups and loads racing ingests; tenant state changes are seen by the very next check.
/// </summary>
public abstract class QuotaCacheTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : QuotaCacheTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : QuotaCacheTests(DatabaseProvider.PostgreSql);

    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);
    private QuotaUsageCache _usage = null!;
    private TenantQuotaStateCache _states = null!;
    private QuotaCacheInvalidationInterceptor _interceptor = null!;

    public async Task InitializeAsync()
    {
        await _bed.InitializeAsync();
        _usage = new QuotaUsageCache(_bed.Time);
        _states = new TenantQuotaStateCache(_bed.Time);
        _interceptor = new QuotaCacheInvalidationInterceptor(_states, _usage);
    }

    public Task DisposeAsync() => _bed.DisposeAsync();

    private InterceptedFactory ContextsFor(Guid? tenantId)
    {
        var tenant = new TenantContext();
        if (tenantId is { } id)
            tenant.SetTenant(id);
        else
            tenant.BeginCrossTenantScope("test arrangement");
        return new InterceptedFactory(_bed.Database, tenant, _interceptor);
    }

    private QuotaService Cached(Guid tenantId)
    {
        var contexts = ContextsFor(tenantId);
        return new QuotaService(contexts, contexts.Tenant, _bed.Time, _bed.CommitBarrier, _usage, _states);
    }

    private QuotaService Uncached(Guid tenantId)
    {
        var contexts = ContextsFor(tenantId);
        return new QuotaService(contexts, contexts.Tenant, _bed.Time, _bed.CommitBarrier);
    }

    private UsageIngestionService Ingestion(Guid tenantId) =>
        new(_bed.UsageEventStore, [_usage], _bed.Time);

    private async Task<decimal> UsedAsync(QuotaService quotas, UsageMetric metric) =>
        (await quotas.CheckAsync(metric, 0, CancellationToken.None)).Value.Used;

    [Fact]
    public async Task Check_EqualsTheDatabase_AfterIngestsLateEventsAndRollups()
    {
        var now = _bed.Time.GetUtcNow();
        var ingestion = Ingestion(_bed.AlphaId);
        var cached = Cached(_bed.AlphaId);
        var rollupContexts = ContextsFor(null);
        var rollup = new MeteringRollupService(rollupContexts, _bed.RollupStore, _bed.CommitBarrier, rollupContexts.Tenant, _bed.Time);
        await ingestion.IngestAsync(_bed.AlphaId, [new("a1", UsageMetric.ApiCalls, 100, now.AddDays(-3)), new("s1", UsageMetric.StorageGb, 7, now.AddHours(-2))], CancellationToken.None);
        await rollup.RunAsync(CancellationToken.None);
        foreach (var metric in UsageMetricsToCompare)
            await UsedAsync(cached, metric); // loads the cache

        await ingestion.IngestAsync(_bed.AlphaId,
        [
            new("a2", UsageMetric.ApiCalls, 25, now.AddMinutes(-1)),
            new("a-late", UsageMetric.ApiCalls, 1_000, now.AddDays(-25)), // last month: not this period's
            new("g1", UsageMetric.GpuHours, 2.5m, now.AddDays(-21)),
            new("s-late", UsageMetric.StorageGb, 99, now.AddHours(-5)), // older than the latest level: not the level
            new("s-ahead", UsageMetric.StorageGb, 11, now.AddMinutes(3)), // in the future: counts once its time comes
            new("st1", UsageMetric.Studies, 4, now),
        ], CancellationToken.None);
        await ingestion.IngestAsync(_bed.AlphaId, [new("a2", UsageMetric.ApiCalls, 25, now)], CancellationToken.None); // duplicate
        await rollup.RunAsync(CancellationToken.None);
        await Ingestion(_bed.BetaId).IngestAsync(_bed.BetaId, [new("b1", UsageMetric.ApiCalls, 5_000, now)], CancellationToken.None);
        var atNow = await Both();
        _bed.Time.Advance(TimeSpan.FromMinutes(5));
        var later = await Both();

        Assert.Equal(atNow.Database, atNow.Cache);
        Assert.Equal(later.Database, later.Cache);
        Assert.Equal((125m, 2.5m, 7m, 4m), (atNow.Cache[0], atNow.Cache[1], atNow.Cache[2], atNow.Cache[3]));
        Assert.Equal(11m, later.Cache[2]);
    }

    private static readonly UsageMetric[] UsageMetricsToCompare = [UsageMetric.ApiCalls, UsageMetric.GpuHours, UsageMetric.StorageGb, UsageMetric.Studies, UsageMetric.Users];

    private async Task<(List<decimal> Cache, List<decimal> Database)> Both()
    {
        var cache = new List<decimal>();
        var database = new List<decimal>();
        foreach (var metric in UsageMetricsToCompare)
        {
            cache.Add(await UsedAsync(Cached(_bed.AlphaId), metric));
            database.Add(await UsedAsync(Uncached(_bed.AlphaId), metric));
        }
        return (cache, database);
    }

    [Fact]
    public async Task Load_IsNotKept_WhenAnIngestionIsStoredWhileItRuns()
    {
        var now = _bed.Time.GetUtcNow();
        var ticket = _usage.BeginLoad(_bed.AlphaId);
        await using (var db = ContextsFor(_bed.AlphaId).CreateDbContext())
        {
            var totals = await UsageMeter.TotalsAsync(db, PeriodMath.MonthStart(now), now, _bed.CommitBarrier, CancellationToken.None); // read before the ingest commits
            await Ingestion(_bed.AlphaId).IngestAsync(_bed.AlphaId, [new("race", UsageMetric.ApiCalls, 40, now)], CancellationToken.None);

            Assert.False(_usage.CompleteLoad(_bed.AlphaId, ticket, totals));
        }

        Assert.Equal(40m, await UsedAsync(Cached(_bed.AlphaId), UsageMetric.ApiCalls));
        Assert.True(_usage.TryGetUsed(_bed.AlphaId, UsageMetric.ApiCalls, now, out var cached));
        Assert.Equal(40m, cached);
    }

    [Fact]
    public async Task AnIngestsNotice_ArrivingAfterALoadThatSawItsEvents_IsNotCountedTwice()
    {
        // The ingest commits; a check loads the totals (seeing the new events); only then does the ingest's notice arrive.
        var now = _bed.Time.GetUtcNow();
        var silent = new UsageIngestionService(_bed.UsageEventStore, [], _bed.Time);
        await silent.IngestAsync(_bed.AlphaId, [new("late-notice-1", UsageMetric.ApiCalls, 7, now), new("late-notice-2", UsageMetric.StorageGb, 3, now)], CancellationToken.None);
        var cached = Cached(_bed.AlphaId);
        var loaded = await UsedAsync(cached, UsageMetric.ApiCalls);

        List<StoredUsageEvent> stored;
        await using (var db = ContextsFor(_bed.AlphaId).CreateDbContext())
        {
            stored = (await db.UsageEvents.Where(e => e.ClientEventId.StartsWith("late-notice-")).ToListAsync())
                .Select(e => new StoredUsageEvent(e.Id, e.Metric, e.Quantity, e.Timestamp)).ToList();
        }
        _usage.Stored(_bed.AlphaId, stored);

        Assert.Equal(loaded, await UsedAsync(cached, UsageMetric.ApiCalls));
        Assert.Equal(await UsedAsync(Uncached(_bed.AlphaId), UsageMetric.ApiCalls), await UsedAsync(cached, UsageMetric.ApiCalls));
        Assert.Equal(3m, await UsedAsync(cached, UsageMetric.StorageGb));
    }

    [Fact]
    public async Task ConcurrentLoadsAndIngests_EndEqualToTheDatabase()
    {
        var now = _bed.Time.GetUtcNow();
        var ingests = Enumerable.Range(0, 8).Select(n => Task.Run(() =>
            Ingestion(_bed.AlphaId).IngestAsync(_bed.AlphaId, [new($"c{n}", UsageMetric.ApiCalls, n + 1, now)], CancellationToken.None)));
        var checks = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            _usage.Invalidate(_bed.AlphaId); // every check races a fresh load against the ingests
            return await UsedAsync(Cached(_bed.AlphaId), UsageMetric.ApiCalls);
        }));
        await Task.WhenAll([.. ingests, .. checks]);

        Assert.Equal(36m, await UsedAsync(Uncached(_bed.AlphaId), UsageMetric.ApiCalls));
        Assert.Equal(36m, await UsedAsync(Cached(_bed.AlphaId), UsageMetric.ApiCalls));
    }

    [Fact]
    public async Task Check_SeesASuspension_AtOnce()
    {
        var quotas = Cached(_bed.AlphaId);
        Assert.True((await quotas.CheckAsync(UsageMetric.ApiCalls, 1, CancellationToken.None)).Value.Allowed);

        await using (var db = ContextsFor(null).CreateDbContext())
        {
            var tenant = await db.Tenants.SingleAsync(t => t.Id == _bed.AlphaId);
            tenant.SuspendByOperator(_bed.Time.GetUtcNow());
            await db.SaveChangesAsync();
        }

        Assert.Equal(QuotaDenial.Suspended, (await quotas.CheckAsync(UsageMetric.ApiCalls, 1, CancellationToken.None)).Value.Reason);
    }

    [Fact]
    public async Task Check_SeesATierChange_CommittedInATransaction()
    {
        var quotas = Cached(_bed.AlphaId);
        Assert.Equal(100_000m, (await quotas.CheckAsync(UsageMetric.ApiCalls, 1, CancellationToken.None)).Value.Limit);

        await using (var db = ContextsFor(null).CreateDbContext())
        {
            await db.InTransactionAsync(async (transaction, ct) =>
            {
                var tenant = await db.Tenants.SingleAsync(t => t.Id == _bed.AlphaId, ct);
                tenant.ChangeTierByOperator(SubscriptionTier.Professional, _bed.Time.GetUtcNow());
                await db.SaveChangesAsync(ct);
                // A check between the save and the commit reads the old tier; the commit must not leave it cached.
                Assert.Equal(100_000m, (await quotas.CheckAsync(UsageMetric.ApiCalls, 1, CancellationToken.None)).Value.Limit);
                await transaction.CommitAsync(ct);
                return true;
            }, CancellationToken.None);
        }

        var limit = (await quotas.CheckAsync(UsageMetric.ApiCalls, 1, CancellationToken.None)).Value.Limit;
        Assert.Equal(TenantPortal.Core.Billing.PlanCatalog.Professional.Limit(UsageMetric.ApiCalls), limit);
    }

    [Fact]
    public async Task Check_SeesAnOverrideAddedAndRemoved_AtOnce()
    {
        var quotas = Cached(_bed.AlphaId);
        await quotas.CheckAsync(UsageMetric.ApiCalls, 1, CancellationToken.None);

        await using (var db = ContextsFor(null).CreateDbContext())
        {
            db.QuotaOverrides.Add(new QuotaOverride { TenantId = _bed.AlphaId, Metric = UsageMetric.ApiCalls, Limit = 123, CreatedAt = _bed.Time.GetUtcNow() });
            await db.SaveChangesAsync();
        }
        var withOverride = (await quotas.CheckAsync(UsageMetric.ApiCalls, 1, CancellationToken.None)).Value.Limit;
        await using (var db = ContextsFor(null).CreateDbContext())
        {
            db.QuotaOverrides.RemoveRange(await db.QuotaOverrides.Where(o => o.TenantId == _bed.AlphaId).ToListAsync());
            await db.SaveChangesAsync();
        }
        var withoutOverride = (await quotas.CheckAsync(UsageMetric.ApiCalls, 1, CancellationToken.None)).Value.Limit;

        Assert.Equal((123m, 100_000m), (withOverride, withoutOverride));
    }

    [Fact]
    public async Task DeletingATenant_ForgetsItsCachedStateAndTotals()
    {
        var now = _bed.Time.GetUtcNow();
        await Ingestion(_bed.AlphaId).IngestAsync(_bed.AlphaId, [new("d1", UsageMetric.ApiCalls, 9, now)], CancellationToken.None);
        await Cached(_bed.AlphaId).CheckAsync(UsageMetric.ApiCalls, 1, CancellationToken.None);
        var contexts = ContextsFor(_bed.AlphaId);
        var tenants = new TenantPortal.Data.Services.Tenants.TenantService(contexts, contexts.Tenant, new TenantPortal.Data.Services.Audit.AuditWriter(_bed.Time),
            new TenantPortal.Data.Services.Tenants.TenantCreator(contexts, contexts.Tenant, Options.Create(new TenantPortal.Data.Options.BillingOptions()), _bed.Time), _bed.Addresses,
            new TenantPortal.Data.Services.Tenants.TenantDeletionService(contexts, Microsoft.Extensions.Logging.Abstractions.NullLogger<TenantPortal.Data.Services.Tenants.TenantDeletionService>.Instance), _bed.Time,
            _usage, _states);

        var deleted = await tenants.DeleteAsync(_bed.ActorOf("owner"), TenancyTestBed.AlphaSlug, CancellationToken.None);

        Assert.True(deleted.IsSuccess);
        Assert.Null(_states.TryGet(_bed.AlphaId));
        Assert.False(_usage.TryGetUsed(_bed.AlphaId, UsageMetric.ApiCalls, now, out _));
    }

    [Fact]
    public async Task WithoutCaches_EveryCheckReadsTheDatabase()
    {
        var quotas = Uncached(_bed.AlphaId);
        await quotas.CheckAsync(UsageMetric.ApiCalls, 1, CancellationToken.None);

        // Written past this process's ingestion and save interceptor, as another instance would.
        await using (var db = _bed.Database.CrossTenant())
        {
            db.UsageEvents.Add(new UsageEvent { TenantId = _bed.AlphaId, ClientEventId = "other-instance", Metric = UsageMetric.ApiCalls, Quantity = 77, Timestamp = _bed.Time.GetUtcNow(), ReceivedAt = _bed.Time.GetUtcNow() });
            (await db.Tenants.SingleAsync(t => t.Id == _bed.AlphaId)).SuspendByOperator(_bed.Time.GetUtcNow());
            await db.SaveChangesAsync();
        }
        var decision = (await quotas.CheckAsync(UsageMetric.ApiCalls, 1, CancellationToken.None)).Value;

        Assert.Equal((77m, QuotaDenial.Suspended), (decision.Used, decision.Reason));
    }

    private sealed class InterceptedFactory(TestDatabase database, TenantContext tenant, QuotaCacheInvalidationInterceptor interceptor) : IDbContextFactory<PortalDbContext>
    {
        public TenantContext Tenant => tenant;

        public PortalDbContext CreateDbContext() => database.CreateContext(tenant, interceptor);
    }
}
