using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TenantPortal.Core.Usage;
using TenantPortal.Data;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Builders;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

/// <summary>The PostgreSQL ingest store on a real server: the contract of <see cref="IUsageEventStore"/> (all-or-nothing, once per id).</summary>
public class PostgreSqlUsageEventStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private readonly PostgreSqlTestDatabase _database = new();
    private readonly RecordingBarrier _barrier = new();
    private Guid _alpha;
    private Guid _beta;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await using var db = _database.CrossTenant();
        var alpha = new TenantBuilder().WithSlug("alpha").Build();
        var beta = new TenantBuilder().WithSlug("beta").Build();
        db.Tenants.AddRange(alpha, beta);
        await db.SaveChangesAsync();
        (_alpha, _beta) = (alpha.Id, beta.Id);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    private PostgreSqlUsageEventStore Store() => new(new Contexts(_database), _barrier);

    private static UsageEventInput Event(string id, decimal quantity = 1, UsageMetric metric = UsageMetric.ApiCalls) =>
        new(id, metric, quantity, Now.AddMinutes(-1));

    private async Task<List<(long Id, Guid TenantId, string ClientId, decimal Quantity)>> StoredAsync()
    {
        await using var db = _database.CrossTenant();
        return (await db.UsageEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync())
            .Select(e => (e.Id, e.TenantId, e.ClientEventId, e.Quantity)).ToList();
    }

    [Fact]
    public async Task InsertNewAsync_ReturnsTheStoredRowsIds_WhenEveryIdIsNew()
    {
        var stored = await Store().InsertNewAsync(_alpha, [Event("b", 2), Event("a", 1), Event("c", 3.5m, UsageMetric.GpuHours)], Now, TestTimeouts.Token());

        var rows = await StoredAsync();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal(_alpha, r.TenantId));
        // Each returned event is the row stored under that id, with its quantity and metric.
        Assert.Equal(rows.Select(r => (r.Id, r.Quantity)).Order(), stored.Select(s => (s.Id, s.Quantity)).Order());
        Assert.Equal(UsageMetric.GpuHours, stored.Single(s => s.Quantity == 3.5m).Metric);
    }

    [Fact]
    public async Task InsertNewAsync_StoresAnIdOnce_WhenTheBatchRepeatsIt()
    {
        var stored = await Store().InsertNewAsync(_alpha, [Event("a", 1), Event("b", 2), Event("a", 9)], Now, TestTimeouts.Token());

        Assert.Equal([1m, 2m], stored.Select(s => s.Quantity).Order());
        Assert.Equal([("a", 1m), ("b", 2m)], (await StoredAsync()).Select(r => (r.ClientId, r.Quantity)).Order());
    }

    [Fact]
    public async Task InsertNewAsync_StoresOnlyTheNewIds_WhenTheBatchIsRetried()
    {
        var store = Store();
        await store.InsertNewAsync(_alpha, [Event("a"), Event("b")], Now, TestTimeouts.Token());

        var again = await store.InsertNewAsync(_alpha, [Event("b"), Event("c"), Event("a")], Now, TestTimeouts.Token());
        var otherTenant = await store.InsertNewAsync(_beta, [Event("a")], Now, TestTimeouts.Token());

        Assert.Single(again);
        Assert.Single(otherTenant);
        var rows = await StoredAsync();
        Assert.Equal(["a", "b", "c"], rows.Where(r => r.TenantId == _alpha).Select(r => r.ClientId).Order());
        Assert.Equal(again[0].Id, rows.Single(r => r.TenantId == _alpha && r.ClientId == "c").Id);
    }

    [Fact]
    public async Task InsertNewAsync_StoresEachIdOnce_WhenConcurrentRequestsCarryTheSameIds()
    {
        // Eight requests at once, each with 200 ids of a shared range of 400 (in different orders), and 50 of its own.
        const int requests = 8;
        using var start = new Barrier(requests);
        var results = await Task.WhenAll(Enumerable.Range(0, requests).Select(n => Task.Run(async () =>
        {
            var shared = Enumerable.Range(n * 25, 200).Select(i => Event($"shared-{i:D3}"));
            var own = Enumerable.Range(0, 50).Select(i => Event($"own-{n}-{i}"));
            var batch = (n % 2 == 0 ? shared.Reverse() : shared).Concat(own).ToList();
            start.SignalAndWait(TestTimeouts.Generous);
            return await Store().InsertNewAsync(_alpha, batch, Now, TestTimeouts.Token());
        })));

        var rows = await StoredAsync();
        var expected = Enumerable.Range(0, 375).Select(i => $"shared-{i:D3}").Concat(Enumerable.Range(0, requests * 50).Select(i => $"own-{i / 50}-{i % 50}"));
        Assert.Equal(expected.Order(), rows.Select(r => r.ClientId).Order());
        // Every stored row was reported stored by exactly one request: counted once.
        Assert.Equal(rows.Select(r => r.Id).Order(), results.SelectMany(r => r).Select(s => s.Id).Order());
    }

    [Fact]
    public async Task InsertNewAsync_NeverDeadlocks_WhenTwoBatchesOfATenantShareIdsInOppositeOrders()
    {
        // Contexts without the retrying execution strategy: it would retry a deadlock (40P01) out of sight. Sent in
        // arrival order, the two batches meet in the middle, each waiting for an id the other inserted: a deadlock.
        var store = new PostgreSqlUsageEventStore(new ContextsWithoutRetries(_database), _barrier);
        for (var round = 0; round < 3; round++)
        {
            var shared = Enumerable.Range(0, 2_000).Select(i => $"r{round}-shared-{i:D4}").ToList();
            var batches = new[]
            {
                shared.Concat(Enumerable.Range(0, 50).Select(i => $"r{round}-up-{i}")).ToList(),
                Enumerable.Reverse(shared).Concat(Enumerable.Range(0, 50).Select(i => $"r{round}-down-{i}")).ToList(),
            };
            using var start = new Barrier(batches.Length);

            var results = await Task.WhenAll(batches.Select(batch => Task.Run(async () =>
            {
                start.SignalAndWait(TestTimeouts.Generous);
                return await store.InsertNewAsync(_alpha, batch.Select(id => Event(id)).ToList(), Now, TestTimeouts.Token());
            })));

            var rows = (await StoredAsync()).Where(r => r.ClientId.StartsWith($"r{round}-", StringComparison.Ordinal)).ToList();
            Assert.Equal(batches.SelectMany(b => b).Distinct().Order(StringComparer.Ordinal), rows.Select(r => r.ClientId).Order(StringComparer.Ordinal));
            // Each stored row was reported stored by exactly one of the two batches.
            Assert.Equal(rows.Select(r => r.Id).Order(), results.SelectMany(r => r).Select(s => s.Id).Order());
        }
    }

    [Fact]
    public async Task InsertNewAsync_StoresNothing_WhenARowFailsMidBatch()
    {
        var store = Store();
        await store.InsertNewAsync(_alpha, [Event("before")], Now, TestTimeouts.Token());
        // Row 300 of 500 overflows the quantity column (numeric(20,6)): the database refuses it after 299 rows went in.
        var batch = Enumerable.Range(0, 500).Select(i => Event($"e{i:D3}", i == 300 ? 1e15m : 1)).ToList();

        await Assert.ThrowsAsync<PostgresException>(() => store.InsertNewAsync(_alpha, batch, Now, TestTimeouts.Token()));

        Assert.Equal(["before"], (await StoredAsync()).Select(r => r.ClientId));
    }

    [Fact]
    public async Task InsertNewAsync_StoresNothing_WhenARowFailsMidBatchOnTheDuplicatePath()
    {
        var store = Store();
        await store.InsertNewAsync(_alpha, [Event("e000")], Now, TestTimeouts.Token());
        // A duplicate sends the batch down the ON CONFLICT path; the overflow there must still leave nothing behind.
        var batch = Enumerable.Range(0, 500).Select(i => Event($"e{i:D3}", i == 300 ? 1e15m : 1)).ToList();

        await Assert.ThrowsAsync<PostgresException>(() => store.InsertNewAsync(_alpha, batch, Now, TestTimeouts.Token()));

        Assert.Equal(["e000"], (await StoredAsync()).Select(r => r.ClientId));
    }

    [Fact]
    public async Task InsertNewAsync_StoresTenThousandEvents_InOneBatch()
    {
        var batch = Enumerable.Range(0, 10_000).Select(i => Event($"big-{i:D5}", i % 7)).ToList();

        var stored = await Store().InsertNewAsync(_alpha, batch, Now, TestTimeouts.Token());

        var rows = await StoredAsync();
        Assert.Equal(10_000, rows.Count);
        Assert.Equal(rows.Select(r => r.Id).Order(), stored.Select(s => s.Id).Order());
        Assert.Equal(batch.Sum(e => e.Quantity), rows.Sum(r => r.Quantity));
    }

    [Fact]
    public async Task InsertNewAsync_EntersTheCommitBarrierBeforeItsFirstInsert_InEveryTransaction()
    {
        var store = Store();
        await store.InsertNewAsync(_alpha, [Event("a")], Now, TestTimeouts.Token());
        // A duplicate: the plain insert is refused and the batch goes in again in a second transaction.
        await store.InsertNewAsync(_alpha, [Event("a"), Event("b")], Now, TestTimeouts.Token());

        Assert.Equal(3, _barrier.Entered.Count);
        // The events stored when each transaction entered: none of its own yet.
        Assert.Equal([0L, 1L, 1L], _barrier.Entered.Select(e => e.EventsVisible));
        Assert.All(_barrier.Entered, e => Assert.True(e.InTransaction));
    }

    [Fact]
    public async Task InsertNewAsync_GivesItsTransactionTheBatchTenant_ForRowLevelSecurity()
    {
        // The database itself checks each row against the transaction's tenant setting, as the row-level security policy does.
        // Created by the schema's owner: the tests' login (the portal's role) may create nothing.
        await using (var owner = new NpgsqlConnection(_database.OwnerConnectionString))
        {
            await owner.OpenAsync();
            await using var create = new NpgsqlCommand("""
                CREATE FUNCTION check_usage_tenant() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF current_setting('tenantportal.tenant_id', true) IS DISTINCT FROM NEW."TenantId"::text
                       OR current_setting('tenantportal.cross_tenant', true) IS DISTINCT FROM 'off' THEN
                        RAISE EXCEPTION 'row of % written under tenant setting %', NEW."TenantId", current_setting('tenantportal.tenant_id', true);
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER usage_tenant BEFORE INSERT ON "UsageEvents" FOR EACH ROW EXECUTE FUNCTION check_usage_tenant();
                """, owner);
            await create.ExecuteNonQueryAsync();
        }

        await Store().InsertNewAsync(_beta, [Event("a"), Event("b")], Now, TestTimeouts.Token());

        Assert.Equal([_beta, _beta], (await StoredAsync()).Select(r => r.TenantId));
    }

    // Records each entry: whether it came with a transaction, and how many events that transaction could see then.
    private sealed class RecordingBarrier : IUsageCommitBarrier
    {
        public List<(bool InTransaction, long EventsVisible)> Entered { get; } = [];

        public bool CommitsInIdOrder => false;

        public async Task EnterIngestAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT COUNT(*) FROM \"UsageEvents\"";
            var visible = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            lock (Entered)
                Entered.Add((transaction is not null, visible));
        }

        public Task CloseAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    // As the database's contexts, but an error is not retried: it reaches the caller.
    private sealed class ContextsWithoutRetries(PostgreSqlTestDatabase database) : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext()
        {
            var tenant = new TenantContext();
            tenant.BeginCrossTenantScope("ingest store test");
            var options = new DbContextOptionsBuilder<PostgreSqlPortalDbContext>().UseNpgsql(database.DataSource)
                .AddInterceptors(new PostgreSqlTenantSettingInterceptor());
            return new PostgreSqlPortalDbContext(options.Options, tenant);
        }
    }

    private sealed class Contexts(PostgreSqlTestDatabase database) : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext()
        {
            var tenant = new TenantContext();
            tenant.BeginCrossTenantScope("ingest store test");
            return database.CreateContext(tenant);
        }
    }
}
