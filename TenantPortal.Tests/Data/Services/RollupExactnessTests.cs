using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

/// <summary>
/// The rollup's sums and gauge levels against an independent computation from the stored events: exact decimals, whole
/// numbers at the edge of the integer path, equal timestamps, late readings, and level-hours after incremental runs.
/// </summary>
public abstract class RollupExactnessTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : RollupExactnessTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : RollupExactnessTests(DatabaseProvider.PostgreSql);

    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);

    private static readonly DateTimeOffset November = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset October = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    public Task InitializeAsync() => _bed.InitializeAsync();
    public Task DisposeAsync() => _bed.DisposeAsync();

    private async Task<RollupRun> RollUpAsync()
    {
        var scope = _bed.In(null);
        return await new MeteringRollupService(scope.Contexts, _bed.RollupStore, _bed.CommitBarrier, scope.Tenant, _bed.Time).RunAsync(CancellationToken.None);
    }

    private Task InsertAsync(Guid tenantId, params UsageEventInput[] events) =>
        _bed.UsageEventStore.InsertNewAsync(tenantId, events, _bed.Time.GetUtcNow(), CancellationToken.None);

    private async Task<List<UsageRollup>> RollupsAsync(Guid tenantId, UsageMetric metric)
    {
        await using var db = _bed.Database.CrossTenant();
        return await db.UsageRollups.AsNoTracking().Where(r => r.TenantId == tenantId && r.Metric == metric).ToListAsync();
    }

    private async Task<List<(long Id, DateTimeOffset At, decimal Quantity)>> EventsAsync(Guid tenantId, UsageMetric metric)
    {
        await using var db = _bed.Database.CrossTenant();
        var events = await db.UsageEvents.AsNoTracking().Where(e => e.TenantId == tenantId && e.Metric == metric).Select(e => new { e.Id, e.Timestamp, e.Quantity }).ToListAsync();
        return events.Select(e => (e.Id, e.Timestamp, e.Quantity)).OrderBy(e => e.Timestamp).ThenBy(e => e.Id).ToList();
    }

    // Every rollup of the metric against the events: counts and exact sums per bucket, and for gauges the latest reading
    // by (timestamp, id) and the level-hours over the whole series.
    private async Task AssertRollupsMatchEventsAsync(Guid tenantId, UsageMetric metric)
    {
        var events = await EventsAsync(tenantId, metric);
        var rollups = await RollupsAsync(tenantId, metric);
        var series = events.Select(e => (e.At, e.Quantity)).ToList();
        Assert.NotEmpty(events);
        foreach (var granularity in Enum.GetValues<RollupGranularity>())
        {
            var expected = events.GroupBy(e => Start(granularity, e.At)).ToDictionary(g => g.Key, g => g.ToList());
            var actual = rollups.Where(r => r.Granularity == granularity).ToList();
            Assert.Equal(expected.Keys.Order(), actual.Select(r => r.PeriodStart).Order());
            foreach (var rollup in actual)
            {
                var bucket = expected[rollup.PeriodStart];
                Assert.Equal(bucket.Count, rollup.EventCount);
                Assert.Equal(bucket.Sum(e => e.Quantity), rollup.Sum);
                if (!GaugeLevelHours.IsGauge(metric))
                    continue;
                var latest = bucket[^1];
                Assert.Equal((latest.Quantity, latest.At), (rollup.LastValue, rollup.LastValueAt));
                var end = GaugeLevelHours.End(rollup);
                var levelHours = PeriodMath.TimeWeightedAverage(series, rollup.PeriodStart, end) * (decimal)(end - rollup.PeriodStart).TotalHours;
                // SQLite stores the decimal's text as computed; PostgreSQL's numeric(28, 6) rounds it (half away from zero).
                if (provider != DatabaseProvider.Sqlite)
                    levelHours = Math.Round(levelHours, 6, MidpointRounding.AwayFromZero);
                Assert.True(levelHours == rollup.LevelHours, $"{granularity} {rollup.PeriodStart:O}: level-hours {rollup.LevelHours}, expected {levelHours}");
            }
        }
    }

    private static DateTimeOffset Start(RollupGranularity granularity, DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return granularity switch
        {
            RollupGranularity.Hour => new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero),
            RollupGranularity.Day => new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero),
            _ => new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero),
        };
    }

    [Fact]
    public async Task Sums_AreExact_ForFractionsAndWholeNumbersAtTheEdgeOfTheIntegerPath()
    {
        var at = November.AddDays(3).AddHours(5);
        await InsertAsync(_bed.AlphaId,
            new UsageEventInput("f1", UsageMetric.GpuHours, 0.15m, at),
            new UsageEventInput("f2", UsageMetric.GpuHours, 0.25m, at.AddMinutes(1)),
            new UsageEventInput("f3", UsageMetric.GpuHours, 0.000001m, at.AddMinutes(2)),
            new UsageEventInput("f4", UsageMetric.GpuHours, 3m, at.AddMinutes(3)),
            new UsageEventInput("w1", UsageMetric.ApiCalls, 99_999_999_999m, at),                  // "99999999999.0": 13 characters, the largest whole on the integer path
            new UsageEventInput("w2", UsageMetric.ApiCalls, 100_000_000_000m, at.AddMinutes(1)),   // 14 characters: summed as a decimal
            new UsageEventInput("w3", UsageMetric.ApiCalls, 99_999_999_999_999.999999m, at.AddHours(1)), // the most the column holds
            new UsageEventInput("w4", UsageMetric.ApiCalls, 1m, at.AddHours(1)));

        await RollUpAsync();

        await AssertRollupsMatchEventsAsync(_bed.AlphaId, UsageMetric.GpuHours);
        await AssertRollupsMatchEventsAsync(_bed.AlphaId, UsageMetric.ApiCalls);
        var month = Assert.Single(await RollupsAsync(_bed.AlphaId, UsageMetric.ApiCalls), r => r.Granularity == RollupGranularity.Month && r.PeriodStart == November);
        Assert.Equal(100_000_000_000_000m + 199_999_999_999.999999m, month.Sum);
        Assert.Equal(3.400001m, Assert.Single(await RollupsAsync(_bed.AlphaId, UsageMetric.GpuHours), r => r.Granularity == RollupGranularity.Day).Sum);
    }

    [Fact]
    public async Task Sums_MergedAcrossRuns_StayExact_WholeOrNot_BelowAndAbove10To15()
    {
        // One hour gets, run after run, whole numbers (merged as integers while both sums are below 10^15), a fraction
        // (merged as decimals from then on) and enough of the largest quantities to pass 10^15.
        var at = November.AddDays(7).AddHours(13);
        for (var run = 0; run < 4; run++)
        {
            var events = Enumerable.Range(0, 4)
                .Select(i => new UsageEventInput($"big-{run}-{i}", UsageMetric.ApiCalls, 99_999_999_999_999m, at.AddMinutes(run * 10 + i)))
                .Append(new UsageEventInput($"one-{run}", UsageMetric.ApiCalls, run + 1, at.AddMinutes(run)))
                .Append(new UsageEventInput($"gpu-{run}", UsageMetric.GpuHours, run == 2 ? 0.5m : run + 1, at.AddMinutes(run)))
                .ToArray();
            await InsertAsync(_bed.AlphaId, events);
            await RollUpAsync();
        }

        await AssertRollupsMatchEventsAsync(_bed.AlphaId, UsageMetric.ApiCalls);
        await AssertRollupsMatchEventsAsync(_bed.AlphaId, UsageMetric.GpuHours);
        var hour = Assert.Single(await RollupsAsync(_bed.AlphaId, UsageMetric.ApiCalls), r => r.Granularity == RollupGranularity.Hour);
        Assert.Equal(16 * 99_999_999_999_999m + 10, hour.Sum);
        Assert.Equal(7.5m, Assert.Single(await RollupsAsync(_bed.AlphaId, UsageMetric.GpuHours), r => r.Granularity == RollupGranularity.Month).Sum);
    }

    [Fact]
    public async Task LateEvents_AddToTheirBuckets_AcrossRuns()
    {
        await InsertAsync(_bed.AlphaId, new UsageEventInput("a1", UsageMetric.ApiCalls, 5, November.AddDays(10)), new UsageEventInput("g1", UsageMetric.GpuHours, 0.5m, November.AddDays(10)));
        await RollUpAsync();
        await InsertAsync(_bed.AlphaId, new UsageEventInput("a2", UsageMetric.ApiCalls, 7, November.AddDays(10).AddMinutes(59)), new UsageEventInput("a3", UsageMetric.ApiCalls, 1, October.AddDays(30)),
            new UsageEventInput("g2", UsageMetric.GpuHours, 0.25m, November.AddDays(10).AddMinutes(30)));
        await RollUpAsync();

        await AssertRollupsMatchEventsAsync(_bed.AlphaId, UsageMetric.ApiCalls);
        await AssertRollupsMatchEventsAsync(_bed.AlphaId, UsageMetric.GpuHours);
    }

    [Fact]
    public async Task AGaugeBucketsLatest_AmongEqualTimestamps_IsTheLaterEvent_InOneRunAndAcrossRuns()
    {
        var at = November.AddDays(2).AddHours(8);
        await InsertAsync(_bed.AlphaId, new UsageEventInput("s1", UsageMetric.StorageGb, 40, at), new UsageEventInput("s2", UsageMetric.StorageGb, 30, at));
        await RollUpAsync();
        Assert.All((await RollupsAsync(_bed.AlphaId, UsageMetric.StorageGb)).Where(r => r.Granularity != RollupGranularity.Month), r => Assert.Equal(30m, r.LastValue));

        await InsertAsync(_bed.AlphaId, new UsageEventInput("s3", UsageMetric.StorageGb, 20, at));
        await RollUpAsync();

        Assert.All(await RollupsAsync(_bed.AlphaId, UsageMetric.StorageGb), r => Assert.Equal((20m, at), (r.LastValue, r.LastValueAt)));
        await AssertRollupsMatchEventsAsync(_bed.AlphaId, UsageMetric.StorageGb);
    }

    [Fact]
    public async Task LevelHours_OfATouchedMonth_CarryTheLevelOfAReadingBeforeIt()
    {
        // 50 GB from 31 October 20:00; 100 GB from 1 November 06:00: that day holds 6 h x 50 + 18 h x 100 = 2,100 GB-hours.
        await InsertAsync(_bed.AlphaId, new UsageEventInput("s-oct", UsageMetric.StorageGb, 50, October.AddDays(30).AddHours(20)));
        await RollUpAsync();
        await InsertAsync(_bed.AlphaId, new UsageEventInput("s-nov", UsageMetric.StorageGb, 100, November.AddHours(6)));
        await RollUpAsync();

        var day = Assert.Single(await RollupsAsync(_bed.AlphaId, UsageMetric.StorageGb), r => r.Granularity == RollupGranularity.Day && r.PeriodStart == November);
        Assert.Equal(2_100m, Math.Round(day.LevelHours, 6));
        await AssertRollupsMatchEventsAsync(_bed.AlphaId, UsageMetric.StorageGb);
    }

    [Fact]
    public async Task ALateReading_InAnEarlierMonth_ChangesTheLevelCarriedIntoTheLaterMonth()
    {
        // 10 GB from 10 October, 20 GB from 5 November; then a late 30 GB from 31 October 12:00: November's first four days are at 30 GB.
        await InsertAsync(_bed.AlphaId, new UsageEventInput("s1", UsageMetric.StorageGb, 10, October.AddDays(9)), new UsageEventInput("s2", UsageMetric.StorageGb, 20, November.AddDays(4)));
        await RollUpAsync();
        await InsertAsync(_bed.AlphaId, new UsageEventInput("late", UsageMetric.StorageGb, 30, October.AddDays(30).AddHours(12)));
        await RollUpAsync();

        var month = Assert.Single(await RollupsAsync(_bed.AlphaId, UsageMetric.StorageGb), r => r.Granularity == RollupGranularity.Month && r.PeriodStart == November);
        Assert.Equal(4 * 24 * 30m + 26 * 24 * 20m, Math.Round(month.LevelHours, 6));
        await AssertRollupsMatchEventsAsync(_bed.AlphaId, UsageMetric.StorageGb);
    }

    [Fact]
    public async Task LevelHours_AfterRunsThatEachCoverPartOfAMonth_EqualOneComputationOverEveryReading()
    {
        // Readings in several runs, in and out of order, some late into the previous month, some at equal times, for two
        // tenants and both gauges: every bucket's level-hours equal the time-weighted average over all readings.
        var random = new Random(20);
        for (var run = 0; run < 4; run++)
        {
            foreach (var (tenant, metric) in new[] { (_bed.AlphaId, UsageMetric.StorageGb), (_bed.BetaId, UsageMetric.StorageGb), (_bed.AlphaId, UsageMetric.Studies) })
            {
                var readings = Enumerable.Range(0, 6).Select(i =>
                {
                    var at = November.AddDays(run * 5 - 3).AddMinutes(random.Next(0, 60 * 24 * 8));
                    if (i == 5)
                        at = November.AddDays(run * 5 + 1); // a time another reading of this run may share
                    return new UsageEventInput($"r{run}-{i}-{metric}", metric, random.Next(0, 4000) / 8m, at);
                }).Append(new UsageEventInput($"r{run}-same-{metric}", metric, 7.125m, November.AddDays(run * 5 + 1))).ToArray();
                await InsertAsync(tenant, readings);
            }
            await RollUpAsync();
        }

        await AssertRollupsMatchEventsAsync(_bed.AlphaId, UsageMetric.StorageGb);
        await AssertRollupsMatchEventsAsync(_bed.BetaId, UsageMetric.StorageGb);
        await AssertRollupsMatchEventsAsync(_bed.AlphaId, UsageMetric.Studies);
    }

    [Fact]
    public void TheIntegerPath_TakesOnlyTextThatReadsBackAsTheSameWholeNumber()
    {
        Assert.True(SqliteRollupAggregation.TryWhole("42.0"u8, out var value) && value == 42);
        Assert.True(SqliteRollupAggregation.TryWhole("-7.0"u8, out value) && value == -7);
        Assert.True(SqliteRollupAggregation.TryWhole("99999999999.0"u8, out value) && value == 99_999_999_999);
        Assert.True(SqliteRollupAggregation.TryWhole("0.0"u8, out value) && value == 0);
        foreach (var text in new[] { "100000000000.0", "0.5", "1.05", "007.0", "-0.0", "1e3", "1.00", "12", ".0", "-.0", "1 .0" })
            Assert.False(SqliteRollupAggregation.TryWhole(System.Text.Encoding.ASCII.GetBytes(text), out _), text);
    }
}
