using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data;
using TenantPortal.Data.Interceptors;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

/// <summary>
/// The quota check with <c>Metering:QuotaCache=Redis</c> on a real Redis: totals shared through Redis equal the
/// database's after ingests with duplicates, rebuilds of missing entries, batches committed around a build, a client's
/// retry after a lost add, and answer from the database while Redis is away. Tests that flush or stop Redis start their
/// own server.
/// </summary>
public class RedisQuotaCacheTests : IAsyncLifetime
{
    private static readonly UsageMetric[] Metrics = [UsageMetric.ApiCalls, UsageMetric.GpuHours, UsageMetric.StorageGb, UsageMetric.Studies, UsageMetric.Users];

    private readonly TenancyTestBed _bed = new();
    private readonly string _prefix = TestRedis.NewKeyPrefix();
    private readonly CountingBarrier _barrier = new();
    private ConnectionMultiplexer _redis = null!;
    private RedisQuotaTotals _totals = null!;
    private TenantQuotaStateCache _states = null!;
    private QuotaCacheInvalidationInterceptor _interceptor = null!;

    public async Task InitializeAsync()
    {
        await _bed.InitializeAsync();
        _redis = await TestRedis.ConnectAsync();
        Use(_redis);
    }

    public async Task DisposeAsync()
    {
        if (_redis.IsConnected)
        {
            foreach (var month in new[] { _bed.Time.GetUtcNow(), _bed.Time.GetUtcNow().AddMonths(-1) })
            {
                foreach (var tenant in new[] { _bed.AlphaId, _bed.BetaId })
                    await _redis.GetDatabase().KeyDeleteAsync(RedisQuotaTotals.Keys(tenant, PeriodMath.MonthStart(month)).Select(k => k.Prepend(_prefix)).ToArray());
            }
        }
        await _redis.DisposeAsync();
        await _bed.DisposeAsync();
    }

    private void Use(IConnectionMultiplexer redis)
    {
        _totals = new RedisQuotaTotals(redis, _barrier, NullLogger<RedisQuotaTotals>.Instance, _prefix);
        _states = new TenantQuotaStateCache(_bed.Time);
        _interceptor = new QuotaCacheInvalidationInterceptor(_states);
    }

    private Contexts ContextsFor(Guid? tenantId, IInterceptor? extra = null)
    {
        var tenant = new TenantContext();
        if (tenantId is { } id)
            tenant.SetTenant(id);
        else
            tenant.BeginCrossTenantScope("test arrangement");
        return new Contexts(_bed.Database, tenant, extra is null ? [_interceptor] : [_interceptor, extra]);
    }

    private QuotaService Shared(Guid tenantId, IInterceptor? extra = null)
    {
        var contexts = ContextsFor(tenantId, extra);
        return new QuotaService(contexts, contexts.Tenant, _bed.Time, _barrier, stateCache: _states, sharedTotals: _totals);
    }

    private QuotaService Uncached(Guid tenantId)
    {
        var contexts = ContextsFor(tenantId);
        return new QuotaService(contexts, contexts.Tenant, _bed.Time, _barrier);
    }

    private UsageIngestionService Ingestion() => new(new SqliteUsageEventStore(_bed.UsageWriter), [], _bed.Time, _totals);

    // An ingestion that commits but never reaches Redis: an instance killed between its commit and its add.
    private UsageIngestionService IngestionWithoutRedis() => new(new SqliteUsageEventStore(_bed.UsageWriter), [], _bed.Time);

    private static async Task<decimal> UsedAsync(QuotaService quotas, UsageMetric metric) =>
        (await quotas.CheckAsync(metric, 0, CancellationToken.None)).Value.Used;

    private async Task<(List<decimal> Shared, List<decimal> Database)> BothAsync(Guid tenantId)
    {
        var shared = new List<decimal>();
        var database = new List<decimal>();
        foreach (var metric in Metrics)
        {
            shared.Add(await UsedAsync(Shared(tenantId), metric));
            database.Add(await UsedAsync(Uncached(tenantId), metric));
        }
        return (shared, database);
    }

    private async Task<bool> EntryExistsAsync(Guid tenantId) =>
        await _redis.GetDatabase().HashExistsAsync(RedisQuotaTotals.Keys(tenantId, PeriodMath.MonthStart(_bed.Time.GetUtcNow()))[0].Prepend(_prefix), "w");

    [Fact]
    public async Task Check_EqualsTheDatabase_AfterIngestsWithDuplicatesLateEventsAndGaugesAhead()
    {
        var now = _bed.Time.GetUtcNow();
        var ingestion = Ingestion();
        await ingestion.IngestAsync(_bed.AlphaId, [new("a1", UsageMetric.ApiCalls, 100, now.AddDays(-3)), new("s1", UsageMetric.StorageGb, 7, now.AddHours(-2))], CancellationToken.None);
        foreach (var metric in Metrics)
            await UsedAsync(Shared(_bed.AlphaId), metric); // builds the entry

        await ingestion.IngestAsync(_bed.AlphaId,
        [
            new("a2", UsageMetric.ApiCalls, 25, now.AddMinutes(-1)),
            new("a2", UsageMetric.ApiCalls, 25, now.AddMinutes(-1)), // repeated in the batch: counted once
            new("a-late", UsageMetric.ApiCalls, 1_000, now.AddDays(-25)), // last month: not this period's
            new("g1", UsageMetric.GpuHours, 2.125m, now.AddDays(-21)),
            new("g2", UsageMetric.GpuHours, 0.000001m, now),
            new("s-late", UsageMetric.StorageGb, 99, now.AddHours(-5)), // older than the latest level: not the level
            new("s-ahead", UsageMetric.StorageGb, 11.5m, now.AddMinutes(3)), // in the future: counts once its time comes
            new("st1", UsageMetric.Studies, 4, now),
        ], CancellationToken.None);
        await ingestion.IngestAsync(_bed.BetaId, [new("b1", UsageMetric.ApiCalls, 5_000, now)], CancellationToken.None);
        var atNow = await BothAsync(_bed.AlphaId);
        _bed.Time.Advance(TimeSpan.FromMinutes(5));
        var later = await BothAsync(_bed.AlphaId);

        Assert.True(await EntryExistsAsync(_bed.AlphaId));
        Assert.Equal(atNow.Database, atNow.Shared);
        Assert.Equal(later.Database, later.Shared);
        Assert.Equal((125m, 2.125001m, 7m, 4m), (atNow.Shared[0], atNow.Shared[1], atNow.Shared[2], atNow.Shared[3]));
        Assert.Equal(11.5m, later.Shared[2]);
        Assert.Equal(5_000m, await UsedAsync(Shared(_bed.BetaId), UsageMetric.ApiCalls));
    }

    [Fact]
    public async Task AnEntryOfAnotherInstance_SeesThisInstancesIngestsAtOnce()
    {
        var now = _bed.Time.GetUtcNow();
        await using var otherConnection = await TestRedis.ConnectAsync();
        var other = new RedisQuotaTotals(otherConnection, _barrier, NullLogger<RedisQuotaTotals>.Instance, _prefix);
        var otherContexts = ContextsFor(_bed.AlphaId);
        var otherQuotas = new QuotaService(otherContexts, otherContexts.Tenant, _bed.Time, _barrier, stateCache: new TenantQuotaStateCache(_bed.Time), sharedTotals: other);
        Assert.Equal(0m, await UsedAsync(otherQuotas, UsageMetric.ApiCalls)); // the other instance builds the entry

        await Ingestion().IngestAsync(_bed.AlphaId, [new("x1", UsageMetric.ApiCalls, 3, now), new("x2", UsageMetric.ApiCalls, 4, now)], CancellationToken.None);

        Assert.Equal(7m, await UsedAsync(otherQuotas, UsageMetric.ApiCalls));
    }

    [Fact]
    public async Task AMissingEntry_IsRebuiltExactly_WithWhatWasIngestedWhileItWasGone()
    {
        var now = _bed.Time.GetUtcNow();
        var ingestion = Ingestion();
        await ingestion.IngestAsync(_bed.AlphaId, [new("m1", UsageMetric.ApiCalls, 10, now), new("m-s", UsageMetric.StorageGb, 3, now)], CancellationToken.None);
        Assert.Equal(10m, await UsedAsync(Shared(_bed.AlphaId), UsageMetric.ApiCalls));

        await _redis.GetDatabase().KeyDeleteAsync(RedisQuotaTotals.Keys(_bed.AlphaId, PeriodMath.MonthStart(now)).Select(k => k.Prepend(_prefix)).ToArray());
        await ingestion.IngestAsync(_bed.AlphaId, [new("m2", UsageMetric.ApiCalls, 5, now), new("m-s2", UsageMetric.StorageGb, 4, now)], CancellationToken.None);
        Assert.False(await EntryExistsAsync(_bed.AlphaId)); // nothing was added to a missing entry
        var rebuilt = await UsedAsync(Shared(_bed.AlphaId), UsageMetric.ApiCalls);
        await ingestion.IngestAsync(_bed.AlphaId, [new("m3", UsageMetric.ApiCalls, 1, now)], CancellationToken.None);

        Assert.Equal(15m, rebuilt);
        Assert.Equal(2, _barrier.Closed); // each build read its snapshot with the ingests held off
        Assert.True(await EntryExistsAsync(_bed.AlphaId));
        Assert.Equal(16m, await UsedAsync(Shared(_bed.AlphaId), UsageMetric.ApiCalls));
        Assert.Equal(4m, await UsedAsync(Shared(_bed.AlphaId), UsageMetric.StorageGb));
    }

    // The commit barrier is one for the whole database (on PostgreSQL an exclusive advisory lock): every check arriving
    // during a build that closed it too would queue behind one another and hold off every tenant's ingestion meanwhile
    // (the load harness's scaleout scenario: a cold start at 500 checks/s).
    [Fact]
    public async Task ACheckWhileAnotherInstanceBuildsTheEntry_ReadsTheDatabase_WithoutHoldingIngestsOff()
    {
        var now = _bed.Time.GetUtcNow();
        await Ingestion().IngestAsync(_bed.AlphaId, [new("b1", UsageMetric.ApiCalls, 40, now.AddMinutes(-5)), new("b-s", UsageMetric.StorageGb, 6, now.AddMinutes(-5))],
            CancellationToken.None);
        // Another instance began building the entry and has not written it yet: its marker alone.
        var entry = RedisQuotaTotals.Keys(_bed.AlphaId, PeriodMath.MonthStart(now))[0].Prepend(_prefix);
        await _redis.GetDatabase().HashSetAsync(entry, "b", "another-instance's-build");
        await _redis.GetDatabase().KeyExpireAsync(entry, RedisQuotaTotals.BuildLifetime);

        Assert.Equal(40m, await UsedAsync(Shared(_bed.AlphaId), UsageMetric.ApiCalls));
        Assert.Equal(6m, await UsedAsync(Shared(_bed.AlphaId), UsageMetric.StorageGb));
        Assert.Equal(0, _barrier.Closed);
        Assert.Equal("another-instance's-build", (string?)await _redis.GetDatabase().HashGetAsync(entry, "b")); // the build stays its owner's
        Assert.False(await EntryExistsAsync(_bed.AlphaId));
    }

    [Fact]
    public async Task ABatchCommittedBeforeTheBuild_WhoseAddArrivesAfterIt_IsNotCountedTwice()
    {
        var now = _bed.Time.GetUtcNow();
        var stored = await StoreSilentlyAsync(_bed.AlphaId, [new("late-add-1", UsageMetric.ApiCalls, 6, now), new("late-add-2", UsageMetric.StorageGb, 2, now)]);
        Assert.Equal(6m, await UsedAsync(Shared(_bed.AlphaId), UsageMetric.ApiCalls)); // the build reads it from the database

        await _totals.StoredAsync(_bed.AlphaId, stored, [], hadStoredDuplicates: false, now); // its add, late

        Assert.Equal(6m, await UsedAsync(Shared(_bed.AlphaId), UsageMetric.ApiCalls));
        Assert.Equal(2m, await UsedAsync(Shared(_bed.AlphaId), UsageMetric.StorageGb));
    }

    [Fact]
    public async Task ABatchInTheBuildsSnapshot_WhoseAddArrivesDuringTheBuild_IsCountedOnce()
    {
        // The batch committed before the snapshot; its add reaches Redis while the entry is being built, so it is kept for
        // the build, which leaves it out (its ids are at or below the watermark).
        var now = _bed.Time.GetUtcNow();
        var stored = await StoreSilentlyAsync(_bed.AlphaId, [new("during-1", UsageMetric.ApiCalls, 8, now), new("during-s", UsageMetric.StorageGb, 5, now)]);
        var addDuringBuild = new AfterCommit(() => _totals.StoredAsync(_bed.AlphaId, stored, [], hadStoredDuplicates: false, now));

        var answered = await UsedAsync(Shared(_bed.AlphaId, addDuringBuild), UsageMetric.ApiCalls);

        Assert.Equal(1, addDuringBuild.Runs);
        Assert.Equal(8m, answered);
        Assert.True(await EntryExistsAsync(_bed.AlphaId));
        Assert.Equal(8m, await UsedAsync(Shared(_bed.AlphaId), UsageMetric.ApiCalls));
        Assert.Equal(5m, await UsedAsync(Shared(_bed.AlphaId), UsageMetric.StorageGb));
    }

    [Fact]
    public async Task ABatchCommittedBetweenTheBuildsSnapshotAndItsWrite_IsNeitherLostNorCountedTwice()
    {
        // The batch commits after the snapshot was read, and its add reaches Redis before the build writes the entry: the
        // build's write applies it (its ids are above the watermark). Adding only to an entry that exists would lose it.
        var now = _bed.Time.GetUtcNow();
        var afterSnapshot = new AfterCommit(() => Ingestion().IngestAsync(_bed.AlphaId, [new("between-1", UsageMetric.ApiCalls, 9, now), new("between-s", UsageMetric.Studies, 12, now)], CancellationToken.None));

        var answered = await UsedAsync(Shared(_bed.AlphaId, afterSnapshot), UsageMetric.ApiCalls);

        Assert.Equal(1, afterSnapshot.Runs);
        Assert.Equal(0m, answered); // the snapshot's answer, right as of its read
        Assert.True(await EntryExistsAsync(_bed.AlphaId));
        Assert.Equal(9m, await UsedAsync(Shared(_bed.AlphaId), UsageMetric.ApiCalls));
        Assert.Equal(12m, await UsedAsync(Shared(_bed.AlphaId), UsageMetric.Studies));
        Assert.Equal(await UsedAsync(Uncached(_bed.AlphaId), UsageMetric.ApiCalls), await UsedAsync(Shared(_bed.AlphaId), UsageMetric.ApiCalls));
    }

    [Fact]
    public async Task AClientsRetry_AfterAnInstanceDiedBetweenCommitAndAdd_RepairsTheTotals()
    {
        var now = _bed.Time.GetUtcNow();
        Assert.Equal(0m, await UsedAsync(Shared(_bed.AlphaId), UsageMetric.ApiCalls));
        UsageEventInput[] batch = [new("retry-1", UsageMetric.ApiCalls, 20, now), new("retry-2", UsageMetric.ApiCalls, 30, now)];
        await IngestionWithoutRedis().IngestAsync(_bed.AlphaId, batch, CancellationToken.None); // committed, never added
        Assert.Equal(0m, await UsedAsync(Shared(_bed.AlphaId), UsageMetric.ApiCalls));

        var retry = await Ingestion().IngestAsync(_bed.AlphaId, batch, CancellationToken.None); // on another instance

        Assert.Equal(new IngestResult(0, 2), retry.Value);
        Assert.False(await EntryExistsAsync(_bed.AlphaId));
        Assert.Equal(50m, await UsedAsync(Shared(_bed.AlphaId), UsageMetric.ApiCalls));
        Assert.Equal(50m, await UsedAsync(Uncached(_bed.AlphaId), UsageMetric.ApiCalls));
    }

    [Fact]
    public async Task ConcurrentIngestsWithDuplicates_ChecksAndEntryLosses_EndEqualToTheDatabase()
    {
        var now = _bed.Time.GetUtcNow();
        var keys = RedisQuotaTotals.Keys(_bed.AlphaId, PeriodMath.MonthStart(now)).Select(k => k.Prepend(_prefix)).ToArray();
        var ingests = Enumerable.Range(0, 16).Select(n => Task.Run(() =>
            Ingestion().IngestAsync(_bed.AlphaId, [new($"c{n % 12}", UsageMetric.ApiCalls, n % 12 + 1, now), new($"s{n}", UsageMetric.StorageGb, n, now.AddSeconds(n - 16))], CancellationToken.None)));
        var checks = Enumerable.Range(0, 16).Select(n => Task.Run(async () =>
        {
            if (n % 4 == 0)
                await _redis.GetDatabase().KeyDeleteAsync(keys);
            return await UsedAsync(Shared(_bed.AlphaId), UsageMetric.ApiCalls);
        }));
        await Task.WhenAll([.. ingests, .. checks]);

        var final = await BothAsync(_bed.AlphaId);
        Assert.Equal(78m, final.Database[0]);
        Assert.Equal(final.Database, final.Shared);
    }

    [Fact]
    public async Task WithRedisStopped_ChecksAnswerFromTheDatabase_IngestionGoesOn_AndTotalsAreExactWhenItIsBack()
    {
        await using var server = await OwnRedisServer.StartNewAsync();
        await using var own = await TestRedis.ConnectAsync(server.Configuration, "see OwnRedisServer");
        Use(own);
        var now = _bed.Time.GetUtcNow();
        await Ingestion().IngestAsync(_bed.AlphaId, [new("d1", UsageMetric.ApiCalls, 10, now)], CancellationToken.None);
        Assert.Equal(10m, await UsedAsync(Shared(_bed.AlphaId), UsageMetric.ApiCalls));

        await server.StopAsync();
        await TestTimeouts.WaitUntilAsync(() => !own.IsConnected, "the client to notice the stopped server");
        var accepted = await Ingestion().IngestAsync(_bed.AlphaId, [new("d2", UsageMetric.ApiCalls, 5, now)], CancellationToken.None);
        var whileDown = await Shared(_bed.AlphaId).CheckAsync(UsageMetric.ApiCalls, 1, CancellationToken.None);
        await server.StartAsync();
        await TestTimeouts.WaitUntilAsync(() => own.IsConnected, "the client to reconnect");

        Assert.Equal(new IngestResult(1, 0), accepted.Value);
        Assert.Equal(15m, whileDown.Value.Used);
        Assert.Equal(15m, await UsedAsync(Shared(_bed.AlphaId), UsageMetric.ApiCalls));
        Assert.True(await own.GetDatabase().HashExistsAsync(RedisQuotaTotals.Keys(_bed.AlphaId, PeriodMath.MonthStart(now))[0].Prepend(_prefix), "w"));
    }

    [Fact]
    public async Task WithRedisStopped_ATenantChangeSavedMeanwhile_IsSeenByTheNextCheck()
    {
        await using var server = await OwnRedisServer.StartNewAsync();
        await using var own = await TestRedis.ConnectAsync(server.Configuration, "see OwnRedisServer");
        Use(own);
        Assert.True((await Shared(_bed.AlphaId).CheckAsync(UsageMetric.ApiCalls, 1, CancellationToken.None)).Value.Allowed); // caches the state

        await server.StopAsync();
        await TestTimeouts.WaitUntilAsync(() => !own.IsConnected, "the client to notice the stopped server");
        // Another instance suspends the tenant: this one's cache is not told (no interceptor of its own saw the save).
        await using (var db = _bed.Database.CrossTenant())
        {
            (await db.Tenants.SingleAsync(t => t.Id == _bed.AlphaId)).SuspendByOperator(_bed.Time.GetUtcNow());
            await db.SaveChangesAsync();
        }
        var whileDown = await Shared(_bed.AlphaId).CheckAsync(UsageMetric.ApiCalls, 1, CancellationToken.None);

        Assert.Equal(QuotaDenial.Suspended, whileDown.Value.Reason);
    }

    [Fact]
    public async Task AfterFlushAll_TheNextCheckIsExactAgain()
    {
        await using var server = await OwnRedisServer.StartNewAsync();
        await using var own = await TestRedis.ConnectAsync(server.Configuration, "see OwnRedisServer");
        Use(own);
        var now = _bed.Time.GetUtcNow();
        await Ingestion().IngestAsync(_bed.AlphaId, [new("f1", UsageMetric.ApiCalls, 10, now), new("f-g", UsageMetric.GpuHours, 1.5m, now)], CancellationToken.None);
        Assert.Equal(10m, await UsedAsync(Shared(_bed.AlphaId), UsageMetric.ApiCalls));

        await own.GetServer(own.GetEndPoints()[0]).FlushAllDatabasesAsync();
        await Ingestion().IngestAsync(_bed.AlphaId, [new("f2", UsageMetric.ApiCalls, 5, now), new("f1", UsageMetric.ApiCalls, 10, now)], CancellationToken.None);

        Assert.Equal(15m, await UsedAsync(Shared(_bed.AlphaId), UsageMetric.ApiCalls));
        Assert.Equal(1.5m, await UsedAsync(Shared(_bed.AlphaId), UsageMetric.GpuHours));
    }

    [Fact]
    public async Task ATenantChangeSavedOnOneInstance_IsSeenByAnothersCachedState()
    {
        await using var otherConnection = await TestRedis.ConnectAsync();
        var otherStates = new TenantQuotaStateCache(_bed.Time);
        var otherChannel = new RedisTenantStateChannel(otherConnection, otherStates, NullLogger<RedisTenantStateChannel>.Instance);
        await otherChannel.StartAsync(CancellationToken.None);
        var thisChannel = new RedisTenantStateChannel(_redis, _states, NullLogger<RedisTenantStateChannel>.Instance);
        var publishing = new QuotaCacheInvalidationInterceptor(_states, others: thisChannel);
        var otherContexts = ContextsFor(_bed.AlphaId);
        var otherQuotas = new QuotaService(otherContexts, otherContexts.Tenant, _bed.Time, _barrier, stateCache: otherStates,
            sharedTotals: new RedisQuotaTotals(otherConnection, _barrier, NullLogger<RedisQuotaTotals>.Instance, _prefix));
        Assert.True((await otherQuotas.CheckAsync(UsageMetric.ApiCalls, 1, CancellationToken.None)).Value.Allowed);
        Assert.NotNull(otherStates.TryGet(_bed.AlphaId));

        await using (var db = new SqlitePortalDbContext(new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite(_bed.Database.ConnectionString).AddInterceptors(publishing).Options, CrossTenant()))
        {
            (await db.Tenants.SingleAsync(t => t.Id == _bed.AlphaId)).SuspendByOperator(_bed.Time.GetUtcNow());
            await db.SaveChangesAsync();
        }
        await TestTimeouts.WaitUntilAsync(() => otherStates.TryGet(_bed.AlphaId) is null, "the other instance to forget the tenant's state");
        await otherChannel.StopAsync(CancellationToken.None);

        Assert.Equal(QuotaDenial.Suspended, (await otherQuotas.CheckAsync(UsageMetric.ApiCalls, 1, CancellationToken.None)).Value.Reason);
    }

    private static TenantContext CrossTenant()
    {
        var tenant = new TenantContext();
        tenant.BeginCrossTenantScope("test arrangement");
        return tenant;
    }

    private async Task<List<StoredUsageEvent>> StoreSilentlyAsync(Guid tenantId, UsageEventInput[] batch)
    {
        await IngestionWithoutRedis().IngestAsync(tenantId, batch, CancellationToken.None);
        var ids = batch.Select(e => e.ClientEventId).ToList();
        await using var db = ContextsFor(tenantId).CreateDbContext();
        return (await db.UsageEvents.Where(e => ids.Contains(e.ClientEventId)).ToListAsync())
            .Select(e => new StoredUsageEvent(e.Id, e.Metric, e.Quantity, e.Timestamp)).ToList();
    }

    private sealed class Contexts(TestDatabase database, TenantContext tenant, IInterceptor[] interceptors) : IDbContextFactory<PortalDbContext>
    {
        public TenantContext Tenant => tenant;

        public PortalDbContext CreateDbContext() => database.CreateContext(tenant, interceptors);
    }

    // SQLite's barrier waits for nothing (its transactions take the write lock); this one counts the builds that close it.
    private sealed class CountingBarrier : IUsageCommitBarrier
    {
        private int _closed;

        public int Closed => _closed;

        public bool CommitsInIdOrder => true;

        public Task EnterIngestAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task CloseAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _closed);
            return Task.CompletedTask;
        }
    }

    // Runs an action once, when the first transaction of its contexts commits (the build's snapshot).
    private sealed class AfterCommit(Func<Task> action) : DbTransactionInterceptor
    {
        public int Runs { get; private set; }

        public override async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            if (Runs++ == 0)
                await action();
        }
    }
}
