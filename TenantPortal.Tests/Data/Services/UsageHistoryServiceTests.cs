using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

public abstract class UsageHistoryServiceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : UsageHistoryServiceTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : UsageHistoryServiceTests(DatabaseProvider.PostgreSql);

    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);

    // The bed's "now" is 22 November 2026, 12:00 UTC.
    private static readonly DateTimeOffset Today = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    public Task InitializeAsync() => _bed.InitializeAsync();
    public Task DisposeAsync() => _bed.DisposeAsync();

    private async Task IngestAsync(Guid tenantId, params UsageEventInput[] events)
    {
        var result = await new UsageIngestionService(_bed.UsageEventStore, [], _bed.Time).IngestAsync(tenantId, events, CancellationToken.None);
        Assert.True(result.IsSuccess, result.Error?.Message);
    }

    private Task RollupAsync()
    {
        var scope = _bed.In(null);
        return new MeteringRollupService(scope.Contexts, _bed.RollupStore, _bed.CommitBarrier, scope.Tenant, _bed.Time).RunAsync(CancellationToken.None);
    }

    private Task<IReadOnlyList<DailyUsage>> HistoryAsync() =>
        new UsageHistoryService(_bed.In(_bed.AlphaId).Contexts, _bed.Time).DailyAsync(DateOnly.FromDateTime(Today.AddDays(-2).UtcDateTime), DateOnly.FromDateTime(Today.UtcDateTime), CancellationToken.None);

    private static decimal On(IReadOnlyList<DailyUsage> history, UsageMetric metric, int daysAgo) =>
        Assert.Single(history, d => d.Metric == metric && d.Day == DateOnly.FromDateTime(Today.AddDays(-daysAgo).UtcDateTime)).Value;

    [Fact]
    public async Task DailyAsync_AddsFreshEventsToRolledUpDays_AndKeepsGaugesAtTheirLatestReading()
    {
        await IngestAsync(_bed.AlphaId,
            new("a1", UsageMetric.ApiCalls, 100, Today.AddDays(-1).AddHours(9)),
            new("a2", UsageMetric.ApiCalls, 50, Today.AddHours(8)),
            new("s1", UsageMetric.StorageGb, 12, Today.AddDays(-3)),
            new("s2", UsageMetric.StorageGb, 20, Today.AddHours(9)));
        await IngestAsync(_bed.BetaId, new UsageEventInput("b1", UsageMetric.ApiCalls, 999, Today.AddHours(8)));
        var before = await HistoryAsync();
        await RollupAsync();
        // Past the watermark: the same day as a rolled-up counter, and a reading at the very instant of the rolled-up one.
        await IngestAsync(_bed.AlphaId,
            new("a3", UsageMetric.ApiCalls, 7, Today.AddHours(10)),
            new("s3", UsageMetric.StorageGb, 25, Today.AddHours(9)));

        var after = await HistoryAsync();

        Assert.Equal(before.Where(d => d.Metric != UsageMetric.StorageGb || d.Day < DateOnly.FromDateTime(Today.UtcDateTime)),
            after.Where(d => d.Metric != UsageMetric.StorageGb || d.Day < DateOnly.FromDateTime(Today.UtcDateTime)).Select(d => d.Metric == UsageMetric.ApiCalls && d.Day == DateOnly.FromDateTime(Today.UtcDateTime) ? d with { Value = d.Value - 7 } : d));
        Assert.Equal(100m, On(after, UsageMetric.ApiCalls, 1));
        Assert.Equal(57m, On(after, UsageMetric.ApiCalls, 0));
        Assert.Equal(12m, On(after, UsageMetric.StorageGb, 2));
        Assert.Equal(12m, On(after, UsageMetric.StorageGb, 1));
        Assert.Equal(25m, On(after, UsageMetric.StorageGb, 0));
    }

    private Task<TenantPortal.Core.Common.Result<UsageHistoryPage>> QueryAsync(UsageHistoryQuery query, string actor = "viewer") =>
        _bed.In(_bed.AlphaId).History.QueryAsync(_bed.ActorOf(actor), query, CancellationToken.None);

    [Fact]
    public async Task QueryAsync_ReadsTheRollupsOfEachGranularity_OldestFirst_OfTheTenantOnly()
    {
        await IngestAsync(_bed.AlphaId,
            new("a1", UsageMetric.ApiCalls, 100, Today.AddDays(-1).AddHours(9).AddMinutes(5)),
            new("a2", UsageMetric.ApiCalls, 50, Today.AddDays(-1).AddHours(9).AddMinutes(30)),
            new("a3", UsageMetric.ApiCalls, 7, Today.AddHours(8)),
            new("s1", UsageMetric.StorageGb, 12, Today.AddDays(-1).AddHours(1)),
            new("s2", UsageMetric.StorageGb, 20, Today.AddDays(-1).AddHours(2)));
        await IngestAsync(_bed.BetaId, new UsageEventInput("b1", UsageMetric.ApiCalls, 999, Today.AddHours(8)));
        await RollupAsync();
        var range = (From: Today.AddDays(-1), To: Today.AddDays(1));

        var days = await QueryAsync(new(null, RollupGranularity.Day, range.From, range.To, 50));
        var hours = await QueryAsync(new(UsageMetric.ApiCalls, RollupGranularity.Hour, range.From, range.To, 50));
        var months = await QueryAsync(new(UsageMetric.ApiCalls, RollupGranularity.Month, null, null, 50));
        var storage = await QueryAsync(new(UsageMetric.StorageGb, RollupGranularity.Day, range.From, range.To, 50));

        Assert.Equal([(UsageMetric.ApiCalls, Today.AddDays(-1), 150m), (UsageMetric.StorageGb, Today.AddDays(-1), 20m), (UsageMetric.ApiCalls, Today, 7m)],
            days.Value.Items.Select(i => (i.Metric, i.PeriodStart, i.Quantity)).OrderBy(i => i.PeriodStart).ThenBy(i => i.Metric == UsageMetric.StorageGb ? 1 : 0));
        Assert.Equal(days.Value.Items.Select(i => i.PeriodStart).Order(), days.Value.Items.Select(i => i.PeriodStart));
        Assert.All(days.Value.Items, i => Assert.Equal(i.PeriodStart.AddDays(1), i.PeriodEnd));
        Assert.Equal([(Today.AddDays(-1).AddHours(9), 150m), (Today.AddHours(8), 7m)], hours.Value.Items.Select(i => (i.PeriodStart, i.Quantity)));
        Assert.All(hours.Value.Items, i => Assert.Equal(i.PeriodStart.AddHours(1), i.PeriodEnd));
        var month = Assert.Single(months.Value.Items);
        Assert.Equal((new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), 157m), (month.PeriodStart, month.Quantity));
        Assert.Equal(new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero), months.Value.From);
        Assert.Equal(_bed.Time.GetUtcNow(), months.Value.To);
        Assert.Equal(20m, Assert.Single(storage.Value.Items).Quantity);
        Assert.Null(days.Value.Next);
    }

    [Fact]
    public async Task QueryAsync_PagesByKey_EveryPeriodOnce()
    {
        var events = Enumerable.Range(0, 10).Select(h => new UsageEventInput($"h{h}", UsageMetric.GpuHours, h + 1, Today.AddHours(h))).ToArray();
        await IngestAsync(_bed.AlphaId, events);
        await RollupAsync();

        var seen = new List<UsageHistoryPoint>();
        UsageHistoryKey? after = null;
        do
        {
            var page = await QueryAsync(new(UsageMetric.GpuHours, RollupGranularity.Hour, Today, Today.AddDays(1), 3, after));
            Assert.True(page.Value.Items.Count <= 3);
            seen.AddRange(page.Value.Items);
            after = page.Value.Next;
        }
        while (after is not null);

        Assert.Equal(Enumerable.Range(0, 10).Select(h => (Today.AddHours(h), (decimal)(h + 1))), seen.Select(i => (i.PeriodStart, i.Quantity)));
    }

    [Theory]
    [InlineData("metric", UsageMetric.Users, RollupGranularity.Day, -1, 1)]
    [InlineData("to", null, RollupGranularity.Day, 0, 0)]
    [InlineData("to", null, RollupGranularity.Day, 0, -1)]
    [InlineData("to", null, RollupGranularity.Hour, -32, 0)]
    [InlineData("to", null, RollupGranularity.Day, -367, 0)]
    [InlineData("to", null, RollupGranularity.Month, -1900, 0)]
    public async Task QueryAsync_RefusesABadQuery_NamingTheParameter(string field, UsageMetric? metric, RollupGranularity granularity, int fromDays, int toDays)
    {
        var result = await QueryAsync(new(metric, granularity, Today.AddDays(fromDays), Today.AddDays(toDays), 10));

        Assert.Equal(TenantPortal.Core.Common.ErrorCodes.Invalid, result.Error?.Code);
        Assert.Equal(field, result.Error?.Field);
    }

    [Fact]
    public async Task QueryAsync_NamesFrom_WhenOnlyFromMakesTheRangeTooLong()
    {
        var result = await QueryAsync(new(null, RollupGranularity.Hour, Today.AddDays(-40), null, 10));

        Assert.Equal("from", result.Error?.Field);
    }
}
