using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

public class UsageHistoryServiceTests : IAsyncLifetime
{
    private readonly TenancyTestBed _bed = new();

    // The bed's "now" is 22 November 2026, 12:00 UTC.
    private static readonly DateTimeOffset Today = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    public Task InitializeAsync() => _bed.InitializeAsync();
    public Task DisposeAsync() => _bed.DisposeAsync();

    private async Task IngestAsync(Guid tenantId, params UsageEventInput[] events)
    {
        var result = await new UsageIngestionService(new SqliteUsageEventStore(_bed.UsageWriter), [], _bed.Time).IngestAsync(tenantId, events, CancellationToken.None);
        Assert.True(result.IsSuccess, result.Error?.Message);
    }

    private Task RollupAsync()
    {
        var scope = _bed.In(null);
        return new MeteringRollupService(scope.Contexts, new SqliteRollupStore(), scope.Tenant, _bed.Time).RunAsync(CancellationToken.None);
    }

    private Task<IReadOnlyList<DailyUsage>> HistoryAsync() =>
        new UsageHistoryService(_bed.In(_bed.AlphaId).Contexts).DailyAsync(DateOnly.FromDateTime(Today.AddDays(-2).UtcDateTime), DateOnly.FromDateTime(Today.UtcDateTime), CancellationToken.None);

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
}
