using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

public abstract class MeteringRollupServiceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : MeteringRollupServiceTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : MeteringRollupServiceTests(DatabaseProvider.PostgreSql);

    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);

    // 22 November 2026, 12:00 UTC is the bed's "now"; the events below are of that morning and the day before.
    private static readonly DateTimeOffset Today = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    public Task InitializeAsync() => _bed.InitializeAsync();
    public Task DisposeAsync() => _bed.DisposeAsync();

    private MeteringRollupService Rollup()
    {
        var scope = _bed.In(null);
        return new MeteringRollupService(scope.Contexts, _bed.RollupStore, _bed.CommitBarrier, scope.Tenant, _bed.Time);
    }

    private async Task IngestAsync(Guid tenantId, params UsageEventInput[] events)
    {
        var result = await new UsageIngestionService(_bed.UsageEventStore, [], _bed.Time).IngestAsync(tenantId, events, CancellationToken.None);
        Assert.True(result.IsSuccess, result.Error?.Message);
    }

    private async Task<List<UsageRollup>> RollupsAsync()
    {
        await using var db = _bed.Database.CrossTenant();
        return await db.UsageRollups.AsNoTracking().OrderBy(r => r.TenantId).ThenBy(r => r.Metric).ThenBy(r => r.Granularity).ThenBy(r => r.PeriodStart).ToListAsync();
    }

    private static UsageRollup Find(List<UsageRollup> rollups, Guid tenant, UsageMetric metric, RollupGranularity granularity, DateTimeOffset start) =>
        Assert.Single(rollups, r => r.TenantId == tenant && r.Metric == metric && r.Granularity == granularity && r.PeriodStart == start);

    [Fact]
    public async Task Run_SumsCountersIntoHourDayAndMonth_PerTenant()
    {
        await IngestAsync(_bed.AlphaId,
            new("a1", UsageMetric.ApiCalls, 100, Today.AddHours(9).AddMinutes(5)),
            new("a2", UsageMetric.ApiCalls, 250, Today.AddHours(9).AddMinutes(55)),
            new("a3", UsageMetric.ApiCalls, 40, Today.AddHours(10)),
            new("g1", UsageMetric.GpuHours, 1.25m, Today.AddHours(-2)));
        await IngestAsync(_bed.BetaId, new UsageEventInput("a1", UsageMetric.ApiCalls, 7, Today.AddHours(9)));

        var run = await Rollup().RunAsync(CancellationToken.None);
        var rollups = await RollupsAsync();

        Assert.Equal(5, run.Events);
        Assert.Equal((350m, 2L), (Find(rollups, _bed.AlphaId, UsageMetric.ApiCalls, RollupGranularity.Hour, Today.AddHours(9)).Sum, Find(rollups, _bed.AlphaId, UsageMetric.ApiCalls, RollupGranularity.Hour, Today.AddHours(9)).EventCount));
        Assert.Equal(40m, Find(rollups, _bed.AlphaId, UsageMetric.ApiCalls, RollupGranularity.Hour, Today.AddHours(10)).Sum);
        Assert.Equal(390m, Find(rollups, _bed.AlphaId, UsageMetric.ApiCalls, RollupGranularity.Day, Today).Sum);
        Assert.Equal(390m, Find(rollups, _bed.AlphaId, UsageMetric.ApiCalls, RollupGranularity.Month, PeriodMath.MonthStart(Today)).Sum);
        Assert.Equal(1.25m, Find(rollups, _bed.AlphaId, UsageMetric.GpuHours, RollupGranularity.Day, Today.AddDays(-1)).Sum);
        Assert.Equal(7m, Find(rollups, _bed.BetaId, UsageMetric.ApiCalls, RollupGranularity.Month, PeriodMath.MonthStart(Today)).Sum);
    }

    [Fact]
    public async Task Run_KeepsTheLatestGaugeLevel_AndItsTimeWeightedLevelHours()
    {
        // 100 GB from 06:00, 300 GB from 10:00: the day 06:00-24:00 holds 4 h x 100 + 14 h x 300 = 4,600 GB-hours.
        await IngestAsync(_bed.AlphaId,
            new("s2", UsageMetric.StorageGb, 300, Today.AddHours(10)),
            new("s1", UsageMetric.StorageGb, 100, Today.AddHours(6)));

        await Rollup().RunAsync(CancellationToken.None);
        var rollups = await RollupsAsync();

        var day = Find(rollups, _bed.AlphaId, UsageMetric.StorageGb, RollupGranularity.Day, Today);
        Assert.Equal((300m, Today.AddHours(10)), (day.LastValue, day.LastValueAt));
        Assert.Equal(4_600m, Math.Round(day.LevelHours, 6));
        Assert.Equal(100m, Find(rollups, _bed.AlphaId, UsageMetric.StorageGb, RollupGranularity.Hour, Today.AddHours(6)).LastValue);
    }

    [Fact]
    public async Task Run_AddsALateEvent_ToItsEarlierBucket_AndAnOlderGaugeReadingDoesNotReplaceANewerOne()
    {
        await IngestAsync(_bed.AlphaId, new("a1", UsageMetric.ApiCalls, 10, Today.AddHours(9)), new("s1", UsageMetric.StorageGb, 500, Today.AddHours(11)));
        await Rollup().RunAsync(CancellationToken.None);

        await IngestAsync(_bed.AlphaId, new("late", UsageMetric.ApiCalls, 5, Today.AddHours(9).AddMinutes(30)), new("s-old", UsageMetric.StorageGb, 80, Today.AddHours(3)));
        await Rollup().RunAsync(CancellationToken.None);
        var rollups = await RollupsAsync();

        Assert.Equal(15m, Find(rollups, _bed.AlphaId, UsageMetric.ApiCalls, RollupGranularity.Hour, Today.AddHours(9)).Sum);
        Assert.Equal(15m, Find(rollups, _bed.AlphaId, UsageMetric.ApiCalls, RollupGranularity.Month, PeriodMath.MonthStart(Today)).Sum);
        Assert.Equal(500m, Find(rollups, _bed.AlphaId, UsageMetric.StorageGb, RollupGranularity.Day, Today).LastValue);
        Assert.Equal(80m, Find(rollups, _bed.AlphaId, UsageMetric.StorageGb, RollupGranularity.Hour, Today.AddHours(3)).LastValue);
    }

    [Fact]
    public async Task ASecondRun_ChangesNothing()
    {
        await IngestAsync(_bed.AlphaId, new("a1", UsageMetric.ApiCalls, 10, Today.AddHours(9)), new("s1", UsageMetric.StorageGb, 5, Today.AddHours(1)));
        await Rollup().RunAsync(CancellationToken.None);
        var first = (await RollupsAsync()).Select(r => (r.Metric, r.Granularity, r.PeriodStart, r.Sum, r.EventCount, r.LastValue, r.LevelHours)).ToList();

        var second = await Rollup().RunAsync(CancellationToken.None);

        Assert.Equal(0, second.Events);
        Assert.Equal(first, (await RollupsAsync()).Select(r => (r.Metric, r.Granularity, r.PeriodStart, r.Sum, r.EventCount, r.LastValue, r.LevelHours)).ToList());
    }

    [Fact]
    public async Task ConcurrentRuns_GiveTheSameResultAsOne()
    {
        var events = Enumerable.Range(0, 300).Select(i => new UsageEventInput($"c{i}", UsageMetric.ApiCalls, 2, Today.AddMinutes(i))).ToArray();
        await IngestAsync(_bed.AlphaId, events);

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Rollup().RunAsync(CancellationToken.None))));

        Assert.Equal(300, runs.Sum(r => r.Events));
        var rollups = await RollupsAsync();
        Assert.Equal(600m, Find(rollups, _bed.AlphaId, UsageMetric.ApiCalls, RollupGranularity.Month, PeriodMath.MonthStart(Today)).Sum);
        Assert.Equal(600m, rollups.Where(r => r.Granularity == RollupGranularity.Hour).Sum(r => r.Sum));
    }

    [Fact]
    public async Task Lag_IsTheWaitOfTheOldestEventNotRolledUp()
    {
        await IngestAsync(_bed.AlphaId, new UsageEventInput("a1", UsageMetric.ApiCalls, 1, Today.AddHours(9)));
        _bed.Time.Advance(TimeSpan.FromSeconds(90));

        var before = await Rollup().LagAsync(CancellationToken.None);
        await Rollup().RunAsync(CancellationToken.None);
        var after = await Rollup().LagAsync(CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(90), before);
        Assert.Equal(TimeSpan.Zero, after);
    }
}
