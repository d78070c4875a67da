using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

public abstract class UsageIngestionServiceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : UsageIngestionServiceTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : UsageIngestionServiceTests(DatabaseProvider.PostgreSql);

    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);

    public Task InitializeAsync() => _bed.InitializeAsync();
    public Task DisposeAsync() => _bed.DisposeAsync();

    private UsageIngestionService Service(Guid tenantId) =>
        new(_bed.UsageEventStore, [], _bed.Time);

    private UsageEventInput Event(string id, UsageMetric metric = UsageMetric.ApiCalls, decimal quantity = 1, TimeSpan? ago = null) =>
        new(id, metric, quantity, _bed.Time.GetUtcNow() - (ago ?? TimeSpan.FromMinutes(1)));

    private async Task<List<TenantPortal.Core.Usage.UsageEvent>> StoredAsync(Guid tenantId)
    {
        await using var db = _bed.Database.ForTenant(tenantId);
        return await db.UsageEvents.OrderBy(e => e.Id).ToListAsync();
    }

    [Fact]
    public async Task Ingest_StoresTheBatch_InTheFormatsTheModelReads()
    {
        var at = _bed.Time.GetUtcNow().AddHours(-3);
        var result = await Service(_bed.AlphaId).IngestAsync(_bed.AlphaId,
            [new("e1", UsageMetric.GpuHours, 1.5m, at), new("e2", UsageMetric.StorageGb, 123.456789m, at)], CancellationToken.None);

        Assert.Equal(new IngestResult(2, 0), result.Value);
        var stored = await StoredAsync(_bed.AlphaId);
        Assert.Equal([("e1", UsageMetric.GpuHours, 1.5m, at), ("e2", UsageMetric.StorageGb, 123.456789m, at)],
            stored.Select(e => (e.ClientEventId, e.Metric, e.Quantity, e.Timestamp)));
        Assert.All(stored, e => Assert.Equal(_bed.Time.GetUtcNow(), e.ReceivedAt));
        await using var db = _bed.Database.ForTenant(_bed.AlphaId);
        Assert.Equal(1.5m, await db.UsageEvents.Where(e => e.Metric == UsageMetric.GpuHours && e.Timestamp >= at).SumAsync(e => e.Quantity));
    }

    [Fact]
    public async Task Ingest_CountsAnIdRepeatedInTheBatch_Once()
    {
        var result = await Service(_bed.AlphaId).IngestAsync(_bed.AlphaId, [Event("a", quantity: 5), Event("a", quantity: 7), Event("b")], CancellationToken.None);

        Assert.Equal(new IngestResult(2, 1), result.Value);
        Assert.Equal(5, (await StoredAsync(_bed.AlphaId)).Single(e => e.ClientEventId == "a").Quantity);
    }

    [Fact]
    public async Task Ingest_CountsAnIdSeenInAnEarlierBatch_AsADuplicate()
    {
        await Service(_bed.AlphaId).IngestAsync(_bed.AlphaId, [Event("a"), Event("b")], CancellationToken.None);

        var second = await Service(_bed.AlphaId).IngestAsync(_bed.AlphaId, [Event("b"), Event("c")], CancellationToken.None);

        Assert.Equal(new IngestResult(1, 1), second.Value);
        Assert.Equal(["a", "b", "c"], (await StoredAsync(_bed.AlphaId)).Select(e => e.ClientEventId));
    }

    [Fact]
    public async Task Ingest_StoresAnIdOnce_WhenConcurrentRequestsRace()
    {
        var batch = Enumerable.Range(0, 200).Select(i => Event($"race-{i}")).ToList();

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Service(_bed.AlphaId).IngestAsync(_bed.AlphaId, batch, CancellationToken.None))));

        Assert.Equal(200, results.Sum(r => r.Value.Accepted));
        Assert.All(results, r => Assert.Equal(200, r.Value.Accepted + r.Value.Duplicates));
        Assert.Equal(200, (await StoredAsync(_bed.AlphaId)).Count);
    }

    [Fact]
    public async Task Ingest_ScopesIdsPerTenant()
    {
        await Service(_bed.AlphaId).IngestAsync(_bed.AlphaId, [Event("shared")], CancellationToken.None);

        var beta = await Service(_bed.BetaId).IngestAsync(_bed.BetaId, [Event("shared")], CancellationToken.None);

        Assert.Equal(new IngestResult(1, 0), beta.Value);
        Assert.Single(await StoredAsync(_bed.AlphaId));
        Assert.Single(await StoredAsync(_bed.BetaId));
    }

    public static TheoryData<string, string> BadEvents() => new()
    {
        { "no-id", "events[1].id" },
        { "users", "events[1].metric" },
        { "negative", "events[1].quantity" },
        { "huge", "events[1].quantity" },
        { "old", "events[1].timestamp" },
        { "future", "events[1].timestamp" },
        { "long-id", "events[1].id" },
        { "id-trailing-space", "events[1].id" },
        { "id-leading-space", "events[1].id" },
        { "id-trailing-no-break-space", "events[1].id" },
        { "seven-decimals", "events[1].quantity" },
    };

    [Theory]
    [MemberData(nameof(BadEvents))]
    public async Task Ingest_RefusesTheWholeBatch_NamingTheBadEventAndField(string bad, string field)
    {
        var wrong = bad switch
        {
            "no-id" => Event(" "),
            "users" => Event("x", UsageMetric.Users),
            "negative" => Event("x", quantity: -1),
            "huge" => Event("x", quantity: UsageBatchRules.MaxQuantity + 1),
            "old" => Event("x", ago: TimeSpan.FromDays(35) + TimeSpan.FromSeconds(1)),
            "future" => Event("x", ago: -TimeSpan.FromMinutes(6)),
            // SQL Server's '=' ignores trailing spaces under every collation: 'x ' would be the same id as 'x' there.
            "id-trailing-space" => Event("x "),
            "id-leading-space" => Event(" x"),
            "id-trailing-no-break-space" => Event("x\u00A0"),
            // The column is decimal(20,6) on the servers: a seventh decimal would be cut off there and kept by SQLite.
            "seven-decimals" => Event("x", quantity: 0.1234567m),
            _ => Event(new string('x', 129)),
        };

        var result = await Service(_bed.AlphaId).IngestAsync(_bed.AlphaId, [Event("good"), wrong], CancellationToken.None);

        Assert.Equal(field, result.Error?.Field);
        Assert.Empty(await StoredAsync(_bed.AlphaId));
    }

    [Fact]
    public async Task Ingest_RefusesSurroundingWhitespace_WithAMessageSayingSo()
    {
        var result = await Service(_bed.AlphaId).IngestAsync(_bed.AlphaId, [Event("ok"), Event("abc ")], CancellationToken.None);

        Assert.Equal("events[1].id", result.Error?.Field);
        Assert.Contains("whitespace", result.Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_RefusesAQuantityWithMoreThanSixDecimals_WithAMessageSayingSo()
    {
        var result = await Service(_bed.AlphaId).IngestAsync(_bed.AlphaId, [Event("q", quantity: 2.0000001m)], CancellationToken.None);

        Assert.Equal("events[0].quantity", result.Error?.Field);
        Assert.Contains("6 decimal places", result.Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_StoresSixDecimals_AndTrailingZerosBeyondThem_Exactly()
    {
        // 1.5000000000 is 1.5: its zeros past the sixth place lose nothing, so it is no more than 6 decimal places.
        var result = await Service(_bed.AlphaId).IngestAsync(_bed.AlphaId,
            [Event("six", quantity: 0.123456m), Event("zeros", quantity: 1.5000000000m), Event("max", quantity: UsageBatchRules.MaxQuantity - 0.000001m)],
            CancellationToken.None);

        Assert.Equal(3, result.Value.Accepted);
        Assert.Equal([0.123456m, 1.5m, UsageBatchRules.MaxQuantity - 0.000001m], (await StoredAsync(_bed.AlphaId)).Select(e => e.Quantity).Order());
    }

    [Fact]
    public async Task Ingest_KeepsIdsThatDifferOnlyInCase_AsTwoEvents_InOneBatchAndAcrossRequests()
    {
        // Exactly once per exact string: abc and ABC are two events (SQL Server's column is binary for this; PostgreSQL
        // and SQLite compare bytes already, and this guards it).
        var first = await Service(_bed.AlphaId).IngestAsync(_bed.AlphaId, [Event("abc", quantity: 1), Event("ABC", quantity: 2)], CancellationToken.None);
        var second = await Service(_bed.AlphaId).IngestAsync(_bed.AlphaId, [Event("Abc", quantity: 4), Event("abc", quantity: 8)], CancellationToken.None);

        Assert.Equal(new IngestResult(2, 0), first.Value);
        Assert.Equal(new IngestResult(1, 1), second.Value);
        Assert.Equal([("ABC", 2m), ("Abc", 4m), ("abc", 1m)],
            (await StoredAsync(_bed.AlphaId)).Select(e => (e.ClientEventId, e.Quantity)).OrderBy(e => e.ClientEventId, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1_001)]
    public async Task Ingest_RefusesEmptyAndOversizedBatches(int count)
    {
        var result = await Service(_bed.AlphaId).IngestAsync(_bed.AlphaId, Enumerable.Range(0, count).Select(i => Event($"e{i}")).ToList(), CancellationToken.None);

        Assert.Equal("events", result.Error?.Field);
        Assert.Empty(await StoredAsync(_bed.AlphaId));
    }

    [Fact]
    public async Task Ingest_AcceptsTheEdgesOfTheWindow()
    {
        var result = await Service(_bed.AlphaId).IngestAsync(_bed.AlphaId,
            [Event("oldest", ago: TimeSpan.FromDays(35)), Event("newest", ago: -TimeSpan.FromMinutes(5)), Event("zero", quantity: 0), Event("max", quantity: UsageBatchRules.MaxQuantity)],
            CancellationToken.None);

        Assert.Equal(4, result.Value.Accepted);
    }
}
