using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using TenantPortal.Core.Usage;
using TenantPortal.Data;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Builders;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

/// <summary>
/// On PostgreSQL ids are handed out at insert and transactions commit in any order. Two ingest transactions take ids in
/// order and commit in reverse, around a rollup run and a quota-totals load: every event is rolled up exactly once and
/// counted in the totals exactly once, because both wait at the usage commit barrier for the transaction still open.
/// </summary>
public class UsageCommitOrderPostgreSqlTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Month = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly PostgreSqlTestDatabase _database = new();
    private readonly FakeTimeProvider _time = new(Now);
    // The barrier AddDataServices registers on PostgreSQL: one for the stores, the rollup and the totals.
    private readonly PostgreSqlUsageCommitBarrier _barrier = new();
    private Guid _tenantId;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        var tenant = new TenantBuilder().Build();
        await using var db = _database.CrossTenant();
        db.Tenants.Add(tenant);
        await db.SaveChangesAsync();
        _tenantId = tenant.Id;
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Rollup_RollsUpEveryEventOnce_WhenALowerIdCommitsAfterAHigherOne()
    {
        await using var earlier = await OpenIngest.BeginAsync(_database, _tenantId, "earlier", 10, Now.AddHours(-2));
        await using var later = await OpenIngest.BeginAsync(_database, _tenantId, "later", 5, Now.AddHours(-1));
        Assert.True(earlier.Id < later.Id, "the earlier transaction takes the lower id");
        await later.CommitAsync();

        var run = Rollup().RunAsync(TestTimeouts.Token());
        await UntilCompletedOrWaitingAtTheBarrierAsync(run);
        await earlier.CommitAsync();
        await run;
        await Rollup().RunAsync(TestTimeouts.Token());
        await Rollup().RunAsync(TestTimeouts.Token());

        await AssertEveryEventRolledUpOnceAsync(expectedEvents: 2, expectedSum: 15);
    }

    [Fact]
    public async Task Rollup_RollsUpEveryEventOnce_WhileBatchesAreIngestedConcurrently()
    {
        const int Clients = 4, BatchesEach = 25, EventsPerBatch = 20;
        var store = new PostgreSqlUsageEventStore(Contexts(new TenantContext()), _barrier);
        var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            for (var b = 0; b < BatchesEach; b++)
                await store.InsertNewAsync(_tenantId, [.. Enumerable.Range(0, EventsPerBatch)
                    .Select(e => new UsageEventInput($"c{c}-b{b}-e{e}", UsageMetric.ApiCalls, 1, Now.AddMinutes(-e)))], Now, TestTimeouts.Token());
        })).ToList();
        var ingesting = Task.WhenAll(clients);
        var runs = 0;
        while (!ingesting.IsCompleted)
        {
            await Rollup().RunAsync(TestTimeouts.Token());
            runs++;
        }
        await ingesting.WaitAsync(TestTimeouts.Generous);
        await Rollup().RunAsync(TestTimeouts.Token());

        Assert.True(runs > 1, "the rollup ran while ingesting");
        await AssertEveryEventRolledUpOnceAsync(expectedEvents: Clients * BatchesEach * EventsPerBatch, expectedSum: Clients * BatchesEach * EventsPerBatch);
    }

    [Fact]
    public async Task TotalsAsync_CountsALowerIdThatCommitsAfterAHigherOne_Once()
    {
        await using var earlier = await OpenIngest.BeginAsync(_database, _tenantId, "earlier", 10, Now.AddHours(-2));
        await using var later = await OpenIngest.BeginAsync(_database, _tenantId, "later", 5, Now.AddHours(-1));
        await later.CommitAsync();

        await using var db = _database.ForTenant(_tenantId);
        var load = UsageMeter.TotalsAsync(db, Month, Now, _barrier, TestTimeouts.Token());
        await UntilCompletedOrWaitingAtTheBarrierAsync(load);
        await earlier.CommitAsync();
        var totals = await load;
        // Both ingests' notices reach the cache after the load, as they may: each is already counted.
        totals.Apply([earlier.Stored, later.Stored]);

        Assert.Equal(15m, totals.Used(UsageMetric.ApiCalls, Now));
    }

    [Fact]
    public async Task UsageMeter_CountsRolledUpAndFreshEvents_OnPostgreSql()
    {
        await (await OpenIngest.BeginAsync(_database, _tenantId, "a", 100, Now.AddDays(-3))).CommitAndDisposeAsync();
        await (await OpenIngest.BeginAsync(_database, _tenantId, "b", 20, Now.AddDays(-2))).CommitAndDisposeAsync();
        await Rollup().RunAsync(TestTimeouts.Token());
        await (await OpenIngest.BeginAsync(_database, _tenantId, "c", 3, Now.AddDays(-1))).CommitAndDisposeAsync();

        await using var db = _database.ForTenant(_tenantId);
        var period = await UsageMeter.PeriodUsageAsync(db, Month, Now, TestTimeouts.Token());
        var used = await UsageMeter.UsedAsync(db, Month, Now, TestTimeouts.Token());
        var one = await UsageMeter.UsedAsync(db, UsageMetric.ApiCalls, Month, Now, TestTimeouts.Token());

        Assert.Equal(123m, period.ApiCalls);
        Assert.Equal(123m, used[UsageMetric.ApiCalls]);
        Assert.Equal(123m, one);
    }

    [Fact]
    public async Task PostgreSqlUsageEventStore_WaitsAtTheBarrier_WhileAReaderHoldsItClosed()
    {
        await using var reader = new NpgsqlConnection(_database.ConnectionString);
        await reader.OpenAsync();
        var closed = await reader.BeginTransactionAsync();
        await _barrier.CloseAsync(reader, closed, TestTimeouts.Token());

        var store = new PostgreSqlUsageEventStore(Contexts(new TenantContext()), _barrier);
        var insert = store.InsertNewAsync(_tenantId, [new UsageEventInput("x", UsageMetric.ApiCalls, 1, Now)], Now, TestTimeouts.Token());
        await UntilCompletedOrWaitingAtTheBarrierAsync(insert);
        Assert.False(insert.IsCompleted, "the ingest must wait while the barrier is closed");
        await closed.CommitAsync();

        Assert.Single(await insert);
    }

    [Fact]
    public async Task QuotaChecksAndMeterReads_AreNotBlocked_WhileARollupTransactionIsOpen()
    {
        await (await OpenIngest.BeginAsync(_database, _tenantId, "a", 100, Now.AddDays(-3))).CommitAndDisposeAsync();
        await (await OpenIngest.BeginAsync(_database, _tenantId, "b", 20, Now.AddDays(-2))).CommitAndDisposeAsync();
        var held = new HeldRollupStore();
        var run = Rollup(held).RunAsync(TestTimeouts.Token());
        await held.Inside.Task.WaitAsync(TestTimeouts.Generous);

        // The rollup holds the watermark row and its new rollups uncommitted: every read answers meanwhile, from before it.
        var tenant = new TenantContext();
        tenant.SetTenant(_tenantId);
        var quota = await new QuotaService(Contexts(tenant), tenant, _time, _barrier).CheckAsync(UsageMetric.ApiCalls, 1, TestTimeouts.Token()).WaitAsync(TestTimeouts.Generous);
        await using var db = _database.ForTenant(_tenantId);
        var period = await UsageMeter.PeriodUsageAsync(db, Month, Now, TestTimeouts.Token()).WaitAsync(TestTimeouts.Generous);
        var totals = await UsageMeter.TotalsAsync(db, Month, Now, _barrier, TestTimeouts.Token()).WaitAsync(TestTimeouts.Generous);
        Assert.False(run.IsCompleted, "the rollup transaction stayed open during the reads");
        held.Release.SetResult();
        await run;
        var after = await UsageMeter.UsedAsync(db, UsageMetric.ApiCalls, Month, Now, TestTimeouts.Token());

        Assert.True(quota.IsSuccess, quota.Error?.Message);
        Assert.Equal(120m, quota.Value.Used);
        Assert.Equal(120m, period.ApiCalls);
        Assert.Equal(120m, totals.Used(UsageMetric.ApiCalls, Now));
        Assert.Equal(120m, after);
    }

    [Theory]
    [InlineData("MAX(")]           // between the highest-id read and the counters
    [InlineData("\"UsageRollups\"")] // between the counters and the gauges' reads
    public async Task TotalsAsync_CountsEveryEventOnce_WhenARollupCommitsBetweenItsReads(string after)
    {
        await (await OpenIngest.BeginAsync(_database, _tenantId, "a", 100, Now.AddDays(-3))).CommitAndDisposeAsync();
        await (await OpenIngest.BeginAsync(_database, _tenantId, "b", 20, Now.AddDays(-2))).CommitAndDisposeAsync();
        var held = new HeldRollupStore();
        var run = Rollup(held).RunAsync(TestTimeouts.Token());
        await held.Inside.Task.WaitAsync(TestTimeouts.Generous);
        var commitBetween = new CommitRollupAfter(after, held, run);
        var tenant = new TenantContext();
        tenant.SetTenant(_tenantId);

        await using var db = _database.CreateContext(tenant, commitBetween);
        var totals = await UsageMeter.TotalsAsync(db, Month, Now, _barrier, TestTimeouts.Token());

        Assert.True(commitBetween.Committed, "the rollup committed between the reads");
        Assert.Equal(2, (await run).Events);
        Assert.Equal(120m, totals.Used(UsageMetric.ApiCalls, Now));
    }

    // The run's aggregation done, its transaction open (the watermark claimed, the rollups written) until released.
    private sealed class HeldRollupStore : IRollupStore
    {
        private readonly PostgreSqlRollupStore _inner = new();

        public TaskCompletionSource Inside { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int MaxEventsPerRun => _inner.MaxEventsPerRun;
        public TimeSpan CommandTimeout => _inner.CommandTimeout;

        public async Task AggregateAsync(DbConnection connection, DbTransaction transaction, long fromId, long toId, DateTimeOffset now, CancellationToken cancellationToken)
        {
            await _inner.AggregateAsync(connection, transaction, fromId, toId, now, cancellationToken);
            Inside.SetResult();
            await Release.Task.WaitAsync(TestTimeouts.Generous, cancellationToken);
        }
    }

    // Once the reader has read the first statement containing the marker, lets the held rollup commit and waits for it.
    private sealed class CommitRollupAfter(string marker, HeldRollupStore held, Task<RollupRun> run) : DbCommandInterceptor
    {
        public bool Committed { get; private set; }

        public override async ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
        {
            if (!Committed && command.CommandText.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                held.Release.SetResult();
                await run.WaitAsync(TestTimeouts.Generous);
                Committed = true;
            }
            return result;
        }
    }

    private MeteringRollupService Rollup(IRollupStore? store = null)
    {
        var tenant = new TenantContext();
        return new MeteringRollupService(Contexts(tenant), store ?? new PostgreSqlRollupStore(), _barrier, tenant, _time);
    }

    private ContextFactory Contexts(TenantContext tenant) => new(_database, tenant);

    // Every stored event is in the hour, day and month rollups exactly once: sums and counts agree with the events.
    private async Task AssertEveryEventRolledUpOnceAsync(int expectedEvents, decimal expectedSum)
    {
        await using var db = _database.CrossTenant();
        var events = await db.UsageEvents.AsNoTracking().ToListAsync();
        var rollups = await db.UsageRollups.AsNoTracking().Where(r => r.Metric == UsageMetric.ApiCalls).ToListAsync();
        var watermark = await db.MeteringWatermarks.AsNoTracking().SingleAsync(w => w.Name == MeteringWatermark.Rollup);

        Assert.Equal(expectedEvents, events.Count);
        Assert.Equal(expectedSum, events.Sum(e => e.Quantity));
        Assert.Equal(events.Max(e => e.Id), watermark.LastEventId);
        foreach (var granularity in new[] { RollupGranularity.Hour, RollupGranularity.Day, RollupGranularity.Month })
        {
            var of = rollups.Where(r => r.Granularity == granularity).ToList();
            Assert.Equal((expectedSum, (long)expectedEvents), (of.Sum(r => r.Sum), of.Sum(r => r.EventCount)));
        }
    }

    // Returns once the task has finished, or is waiting for the barrier's advisory lock (the old code never waited).
    private async Task UntilCompletedOrWaitingAtTheBarrierAsync(Task task)
    {
        await using var probe = new NpgsqlConnection(_database.ConnectionString);
        await probe.OpenAsync();
        await using var waiting = new NpgsqlCommand("""
            SELECT count(*) FROM pg_locks
            WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND classid::bigint = @high AND objid::bigint = @low
            """, probe);
        waiting.Parameters.AddWithValue("high", PostgreSqlUsageCommitBarrier.LockKey >> 32);
        waiting.Parameters.AddWithValue("low", PostgreSqlUsageCommitBarrier.LockKey & 0xFFFF_FFFF);
        var deadline = DateTime.UtcNow + TestTimeouts.Generous;
        while (!task.IsCompleted && (long)(await waiting.ExecuteScalarAsync())! == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "neither finished nor waited at the usage commit barrier");
            await Task.Delay(20);
        }
    }

    private sealed class ContextFactory(PostgreSqlTestDatabase database, TenantContext tenant) : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext() => database.CreateContext(tenant);
    }

    // An ingest transaction as the stores run one: the barrier entered first, then an insert taking the next id.
    private sealed class OpenIngest : IAsyncDisposable
    {
        private readonly NpgsqlConnection _connection;
        private readonly NpgsqlTransaction _transaction;

        private OpenIngest(NpgsqlConnection connection, NpgsqlTransaction transaction, StoredUsageEvent stored)
        {
            _connection = connection;
            _transaction = transaction;
            Stored = stored;
        }

        public StoredUsageEvent Stored { get; }
        public long Id => Stored.Id;

        public static async Task<OpenIngest> BeginAsync(PostgreSqlTestDatabase database, Guid tenantId, string clientEventId, decimal quantity, DateTimeOffset timestamp)
        {
            var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            var transaction = await connection.BeginTransactionAsync();
            // As the ingest store does: the batch's tenant for row-level security, then the barrier, then the insert.
            await PostgreSqlTenantSetting.ApplyAsync(connection, transaction, tenantId, crossTenant: false, TestTimeouts.Token());
            await new PostgreSqlUsageCommitBarrier().EnterIngestAsync(connection, transaction, TestTimeouts.Token());
            await using var insert = new NpgsqlCommand("""
                INSERT INTO "UsageEvents" ("TenantId", "ClientEventId", "Metric", "Quantity", "Timestamp", "ReceivedAt")
                VALUES (@t, @c, 'ApiCalls', @q, @s, @s) RETURNING "Id"
                """, connection, transaction);
            insert.Parameters.AddWithValue("t", tenantId);
            insert.Parameters.AddWithValue("c", clientEventId);
            insert.Parameters.AddWithValue("q", quantity);
            insert.Parameters.AddWithValue("s", timestamp);
            var id = (long)(await insert.ExecuteScalarAsync())!;
            return new OpenIngest(connection, transaction, new StoredUsageEvent(id, UsageMetric.ApiCalls, quantity, timestamp));
        }

        public Task CommitAsync() => _transaction.CommitAsync();

        public async Task CommitAndDisposeAsync()
        {
            await CommitAsync();
            await DisposeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await _transaction.DisposeAsync();
            await _connection.DisposeAsync();
        }
    }
}
