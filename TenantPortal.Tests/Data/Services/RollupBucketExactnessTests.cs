using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

/// <summary>
/// The rollup stores' arithmetic, on each provider's real database: fractional sums exact at every level, late events
/// added to the buckets an earlier run made, a gauge's latest reading decided by time and then by arrival when two
/// readings share an instant, and one run whose events straddle a month's edge.
/// </summary>
public abstract class RollupBucketExactnessTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : RollupBucketExactnessTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : RollupBucketExactnessTests(DatabaseProvider.PostgreSql);

    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);

    // The bed's "now" is 22 November 2026, 12:00 UTC.
    private static readonly DateTimeOffset Today = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    public Task InitializeAsync() => _bed.InitializeAsync();
    public Task DisposeAsync() => _bed.DisposeAsync();

    private async Task<RollupRun> RunAsync()
    {
        var scope = _bed.In(null);
        return await new MeteringRollupService(scope.Contexts, _bed.RollupStore, _bed.CommitBarrier, scope.Tenant, _bed.Time).RunAsync(CancellationToken.None);
    }

    private Task InsertAsync(Guid tenantId, params UsageEventInput[] events) =>
        _bed.UsageEventStore.InsertNewAsync(tenantId, events, _bed.Time.GetUtcNow(), CancellationToken.None);

    private async Task<UsageRollup> FindAsync(Guid tenant, UsageMetric metric, RollupGranularity granularity, DateTimeOffset start)
    {
        await using var db = _bed.Database.CrossTenant();
        return await db.UsageRollups.AsNoTracking().SingleAsync(r => r.TenantId == tenant && r.Metric == metric && r.Granularity == granularity && r.PeriodStart == start);
    }

    [Fact]
    public async Task FractionalSums_AreExactAtEveryLevel()
    {
        // Sums that binary floating point gets wrong (0.1 + 0.2), the smallest step (0.000001) and a large value with all six decimals.
        await InsertAsync(_bed.AlphaId,
            new("f1", UsageMetric.GpuHours, 0.1m, Today.AddHours(9).AddMinutes(1)),
            new("f2", UsageMetric.GpuHours, 0.2m, Today.AddHours(9).AddMinutes(2)),
            new("f3", UsageMetric.GpuHours, 0.000001m, Today.AddHours(9).AddMinutes(3)),
            new("f4", UsageMetric.GpuHours, 12_345_678.987654m, Today.AddHours(10)),
            new("f5", UsageMetric.GpuHours, 0.333333m, Today.AddDays(-1).AddHours(23).AddMinutes(59)));

        await RunAsync();

        Assert.Equal(0.300001m, (await FindAsync(_bed.AlphaId, UsageMetric.GpuHours, RollupGranularity.Hour, Today.AddHours(9))).Sum);
        Assert.Equal(12_345_679.287655m, (await FindAsync(_bed.AlphaId, UsageMetric.GpuHours, RollupGranularity.Day, Today)).Sum);
        Assert.Equal(0.333333m, (await FindAsync(_bed.AlphaId, UsageMetric.GpuHours, RollupGranularity.Day, Today.AddDays(-1))).Sum);
        var month = await FindAsync(_bed.AlphaId, UsageMetric.GpuHours, RollupGranularity.Month, PeriodMath.MonthStart(Today));
        Assert.Equal((12_345_679.620988m, 5L), (month.Sum, month.EventCount));
    }

    [Fact]
    public async Task LateEvents_AreAddedToTheBucketsOfAnEarlierRun_AtEveryLevel()
    {
        await InsertAsync(_bed.AlphaId,
            new("a1", UsageMetric.ApiCalls, 10, Today.AddHours(9)),
            new("a2", UsageMetric.ApiCalls, 20, Today.AddHours(11)),
            new("g1", UsageMetric.GpuHours, 0.25m, Today.AddHours(9)));
        await RunAsync();

        // Later: one more event in each existing hour, one in a new hour of the same day, and a fraction into the same GPU hour.
        await InsertAsync(_bed.AlphaId,
            new("a3", UsageMetric.ApiCalls, 1, Today.AddHours(9).AddMinutes(59)),
            new("a4", UsageMetric.ApiCalls, 2, Today.AddHours(11).AddMinutes(30)),
            new("a5", UsageMetric.ApiCalls, 4, Today.AddHours(5)),
            new("g2", UsageMetric.GpuHours, 0.05m, Today.AddHours(9).AddMinutes(10)));
        var second = await RunAsync();

        Assert.Equal(4, second.Events);
        var nine = await FindAsync(_bed.AlphaId, UsageMetric.ApiCalls, RollupGranularity.Hour, Today.AddHours(9));
        Assert.Equal((11m, 2L), (nine.Sum, nine.EventCount));
        Assert.Equal(22m, (await FindAsync(_bed.AlphaId, UsageMetric.ApiCalls, RollupGranularity.Hour, Today.AddHours(11))).Sum);
        var five = await FindAsync(_bed.AlphaId, UsageMetric.ApiCalls, RollupGranularity.Hour, Today.AddHours(5));
        Assert.Equal((4m, 1L), (five.Sum, five.EventCount));
        var day = await FindAsync(_bed.AlphaId, UsageMetric.ApiCalls, RollupGranularity.Day, Today);
        Assert.Equal((37m, 5L), (day.Sum, day.EventCount));
        Assert.Equal(37m, (await FindAsync(_bed.AlphaId, UsageMetric.ApiCalls, RollupGranularity.Month, PeriodMath.MonthStart(Today))).Sum);
        var gpu = await FindAsync(_bed.AlphaId, UsageMetric.GpuHours, RollupGranularity.Month, PeriodMath.MonthStart(Today));
        Assert.Equal((0.3m, 2L), (gpu.Sum, gpu.EventCount));
    }

    [Fact]
    public async Task GaugeReadingsOfOneInstant_TheLaterArrivalIsTheLatest_InOneRunAndAcrossRuns()
    {
        var at = Today.AddHours(8).AddMinutes(15);
        // Two readings of the same instant, arriving one after the other, rolled up together: the second one is the level.
        await InsertAsync(_bed.AlphaId, new UsageEventInput("s1", UsageMetric.StorageGb, 40, at));
        await InsertAsync(_bed.AlphaId, new UsageEventInput("s2", UsageMetric.StorageGb, 45.5m, at));
        // An older reading of the same hour in the same run changes nothing.
        await InsertAsync(_bed.AlphaId, new UsageEventInput("s0", UsageMetric.StorageGb, 99, at.AddMinutes(-10)));
        await RunAsync();

        foreach (var (granularity, start) in Buckets(at))
        {
            var rollup = await FindAsync(_bed.AlphaId, UsageMetric.StorageGb, granularity, start);
            Assert.Equal((45.5m, at, 3L), (rollup.LastValue, rollup.LastValueAt, rollup.EventCount));
        }

        // A later run's reading of that same instant arrived last, so it is the level now; an older one is not.
        await InsertAsync(_bed.AlphaId, new UsageEventInput("s3", UsageMetric.StorageGb, 47.25m, at), new UsageEventInput("s4", UsageMetric.StorageGb, 1, at.AddSeconds(-1)));
        await RunAsync();

        foreach (var (granularity, start) in Buckets(at))
        {
            var rollup = await FindAsync(_bed.AlphaId, UsageMetric.StorageGb, granularity, start);
            Assert.Equal((47.25m, at, 5L), (rollup.LastValue, rollup.LastValueAt, rollup.EventCount));
            Assert.Equal(232.75m, rollup.Sum);
        }
    }

    [Fact]
    public async Task OneRunAcrossAMonthsEdge_KeepsEachMonthsSumsAndLatestReading()
    {
        var october1 = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
        var lastOfOctober = new DateTimeOffset(2026, 10, 31, 23, 0, 0, TimeSpan.Zero);
        var november = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        await InsertAsync(_bed.AlphaId,
            new("o1", UsageMetric.GpuHours, 1.5m, lastOfOctober.AddMinutes(30)),
            new("o2", UsageMetric.GpuHours, 0.25m, november.AddTicks(-10)),
            new("n1", UsageMetric.GpuHours, 2.125m, november),
            new("os", UsageMetric.StorageGb, 10, lastOfOctober.AddMinutes(59)),
            new("ns", UsageMetric.StorageGb, 20, november.AddMinutes(1)));
        await InsertAsync(_bed.BetaId, new UsageEventInput("b1", UsageMetric.GpuHours, 7, november.AddMinutes(5)));

        await RunAsync();

        var october = await FindAsync(_bed.AlphaId, UsageMetric.GpuHours, RollupGranularity.Month, october1);
        Assert.Equal((1.75m, 2L), (october.Sum, october.EventCount));
        Assert.Equal(1.75m, (await FindAsync(_bed.AlphaId, UsageMetric.GpuHours, RollupGranularity.Day, lastOfOctober.AddHours(-23))).Sum);
        Assert.Equal(1.75m, (await FindAsync(_bed.AlphaId, UsageMetric.GpuHours, RollupGranularity.Hour, lastOfOctober)).Sum);
        var novemberMonth = await FindAsync(_bed.AlphaId, UsageMetric.GpuHours, RollupGranularity.Month, november);
        Assert.Equal((2.125m, 1L), (novemberMonth.Sum, novemberMonth.EventCount));
        Assert.Equal(2.125m, (await FindAsync(_bed.AlphaId, UsageMetric.GpuHours, RollupGranularity.Hour, november)).Sum);
        Assert.Equal(7m, (await FindAsync(_bed.BetaId, UsageMetric.GpuHours, RollupGranularity.Month, november)).Sum);

        var octoberLevel = await FindAsync(_bed.AlphaId, UsageMetric.StorageGb, RollupGranularity.Month, october1);
        Assert.Equal((10m, lastOfOctober.AddMinutes(59)), (octoberLevel.LastValue, octoberLevel.LastValueAt));
        var novemberLevel = await FindAsync(_bed.AlphaId, UsageMetric.StorageGb, RollupGranularity.Month, november);
        Assert.Equal((20m, november.AddMinutes(1)), (novemberLevel.LastValue, novemberLevel.LastValueAt));
    }

    private static (RollupGranularity, DateTimeOffset)[] Buckets(DateTimeOffset at) =>
    [
        (RollupGranularity.Hour, new DateTimeOffset(at.Year, at.Month, at.Day, at.Hour, 0, 0, TimeSpan.Zero)),
        (RollupGranularity.Day, new DateTimeOffset(at.Year, at.Month, at.Day, 0, 0, 0, TimeSpan.Zero)),
        (RollupGranularity.Month, new DateTimeOffset(at.Year, at.Month, 1, 0, 0, 0, TimeSpan.Zero)),
    ];
}
