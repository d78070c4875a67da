using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

public class SqliteUsageWriterTests : IAsyncLifetime
{
    private readonly TenancyTestBed _bed = new();

    public Task InitializeAsync() => _bed.InitializeAsync();
    public Task DisposeAsync() => _bed.DisposeAsync();

    private UsageEventInput Event(string id, decimal quantity = 1) =>
        new(id, UsageMetric.ApiCalls, quantity, _bed.Time.GetUtcNow().AddMinutes(-1));

    private PendingUsageBatch Batch(Guid tenantId, params UsageEventInput[] events) =>
        new(tenantId, events, _bed.Time.GetUtcNow(), CancellationToken.None);

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection(_bed.Database.ConnectionString);
        await connection.OpenAsync();
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA foreign_keys=ON;";
        await pragma.ExecuteNonQueryAsync();
        return connection;
    }

    private async Task<List<(Guid TenantId, string Id, decimal Quantity)>> StoredAsync()
    {
        await using var db = _bed.Database.CrossTenant();
        return (await db.UsageEvents.OrderBy(e => e.Id).ToListAsync()).Select(e => (e.TenantId, e.ClientEventId, e.Quantity)).ToList();
    }

    [Fact]
    public async Task Write_StoresAnIdOnce_WhenTwoBatchesOfOneGroupCarryIt()
    {
        var first = Batch(_bed.AlphaId, Event("a", 1), Event("b", 2));
        var second = Batch(_bed.AlphaId, Event("b", 3), Event("c", 4));
        var otherTenant = Batch(_bed.BetaId, Event("b", 5));

        await using (var connection = await OpenAsync())
        using (var writer = new SqliteUsageGroupWriter(connection))
            writer.Write([first, second, otherTenant]);

        Assert.Equal([1m, 2m], (await first.Completion).Select(e => e.Quantity));
        Assert.Equal([4m], (await second.Completion).Select(e => e.Quantity));
        Assert.Equal([5m], (await otherTenant.Completion).Select(e => e.Quantity));
        Assert.Equal([(_bed.AlphaId, "a", 1m), (_bed.AlphaId, "b", 2m), (_bed.AlphaId, "c", 4m), (_bed.BetaId, "b", 5m)], await StoredAsync());
    }

    [Fact]
    public async Task Write_RefusesOnlyTheBatchAtFault_AndStoresTheRestOfTheGroup()
    {
        var before = Batch(_bed.AlphaId, Event("a"), Event("b"));
        // An unknown tenant: the foreign key refuses its rows, after the first batch was already inserted in the group.
        var bad = Batch(Guid.NewGuid(), Event("x"), Event("y"));
        var after = Batch(_bed.AlphaId, Event("b"), Event("c"));

        await using (var connection = await OpenAsync())
        using (var writer = new SqliteUsageGroupWriter(connection))
            writer.Write([before, bad, after]);

        Assert.Equal(2, (await before.Completion).Count);
        await Assert.ThrowsAsync<SqliteException>(() => bad.Completion);
        Assert.Single(await after.Completion);
        Assert.Equal(["a", "b", "c"], (await StoredAsync()).Select(e => e.Id));
    }

    [Fact]
    public async Task WriteAsync_AnswersOnlyOnceTheBatchIsCommitted_ForEveryConcurrentCaller()
    {
        var seenByNewConnection = await Task.WhenAll(Enumerable.Range(0, 12).Select(n => Task.Run(async () =>
        {
            var events = Enumerable.Range(0, 300).Select(i => Event($"c{n}-{i}")).ToList();
            var stored = await _bed.UsageWriter.WriteAsync(_bed.AlphaId, events, _bed.Time.GetUtcNow(), CancellationToken.None);
            // A new connection, the moment the call returns: the rows must be committed already.
            await using var connection = new SqliteConnection(_bed.Database.ConnectionString);
            await connection.OpenAsync();
            await using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM \"UsageEvents\" WHERE \"ClientEventId\" LIKE $p";
            count.Parameters.AddWithValue("$p", $"c{n}-%");
            return (Stored: stored.Count, Visible: (long)(await count.ExecuteScalarAsync())!);
        })));

        Assert.All(seenByNewConnection, r => Assert.Equal((300, 300L), r));
    }

    [Fact]
    public async Task WriteAsync_StoresAnIdOnce_WhenConcurrentCallersRaceWithIt()
    {
        var batch = Enumerable.Range(0, 100).Select(i => Event($"race-{i}")).ToList();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => _bed.UsageWriter.WriteAsync(_bed.AlphaId, batch, _bed.Time.GetUtcNow(), CancellationToken.None))));

        Assert.Equal(100, results.Sum(r => r.Count));
        Assert.Equal(100, (await StoredAsync()).Count);
        Assert.Equal(results.SelectMany(r => r.Select(e => e.Id)).Order(), (await AllIdsAsync()).Order());
    }

    [Fact]
    public async Task WriteAsync_FailsOnlyTheCallerWithABadBatch()
    {
        var bad = _bed.UsageWriter.WriteAsync(Guid.NewGuid(), [Event("x")], _bed.Time.GetUtcNow(), CancellationToken.None);
        var good = _bed.UsageWriter.WriteAsync(_bed.AlphaId, [Event("y")], _bed.Time.GetUtcNow(), CancellationToken.None);

        await Assert.ThrowsAsync<SqliteException>(() => bad);
        Assert.Single(await good);
        Assert.Equal(["y"], (await StoredAsync()).Select(e => e.Id));
    }

    [Fact]
    public async Task WriteAsync_WritesNothing_WhenCancelledBeforeItIsQueued()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _bed.UsageWriter.WriteAsync(_bed.AlphaId, [Event("z")], _bed.Time.GetUtcNow(), cancelled.Token));
        Assert.Empty(await StoredAsync());
    }

    private async Task<List<long>> AllIdsAsync()
    {
        await using var db = _bed.Database.CrossTenant();
        return await db.UsageEvents.Select(e => e.Id).ToListAsync();
    }
}
