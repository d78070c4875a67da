using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using TenantPortal.Core.Usage;
using TenantPortal.Data;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Tenancy;
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

    [Fact]
    public async Task ARetriedRun_StartsWithAnEmptyChangeTracker_SoItsLevelHoursAreWritten()
    {
        // 100 GB from 06:00, 300 GB from 10:00: the day holds 4,600 GB-hours (as above). The first attempt computes them,
        // saves them, and then fails to commit with a transient error: the retry must compute and write them again.
        await IngestAsync(_bed.AlphaId,
            new("s2", UsageMetric.StorageGb, 300, Today.AddHours(10)),
            new("s1", UsageMetric.StorageGb, 100, Today.AddHours(6)));
        var failOnce = new FailFirstCommit(provider);
        var tenant = new TenantContext();

        var run = await new MeteringRollupService(new InterceptedContexts(_bed.Database, tenant, failOnce), _bed.RollupStore, _bed.CommitBarrier, tenant, _bed.Time)
            .RunAsync(CancellationToken.None);
        var rollups = await RollupsAsync();

        Assert.True(failOnce.Failed, "the first commit must have failed");
        Assert.Equal(2, run.Events);
        var day = Find(rollups, _bed.AlphaId, UsageMetric.StorageGb, RollupGranularity.Day, Today);
        Assert.Equal((300m, 2L), (day.LastValue, day.EventCount));
        Assert.Equal(4_600m, Math.Round(day.LevelHours, 6));
    }

    [Fact]
    public async Task Run_PutsEventsInTheirUtcHourDayAndMonth_AcrossEdges()
    {
        DateTimeOffset[] edges =
        [
            new DateTimeOffset(2026, 11, 30, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_999), // the last tick of a month
            new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero),                          // the first of the next
            new(2026, 12, 1, 0, 30, 0, TimeSpan.FromHours(1)),                 // 23:30 UTC the day before
            new(2025, 12, 31, 23, 0, 0, TimeSpan.FromHours(-2)),               // 01:00 UTC in the new year
            new(2024, 2, 29, 12, 34, 56, TimeSpan.Zero),                       // a leap day
            new(1999, 12, 31, 23, 59, 0, TimeSpan.Zero),                       // before SQL Server's bucket origin (2000)
        ];
        var events = edges.Select((t, i) => new UsageEventInput($"edge{i}", UsageMetric.ApiCalls, 1, t)).ToList();
        await _bed.UsageEventStore.InsertNewAsync(_bed.AlphaId, events, _bed.Time.GetUtcNow(), CancellationToken.None);

        await Rollup().RunAsync(CancellationToken.None);
        var rollups = await RollupsAsync();

        foreach (var granularity in new[] { RollupGranularity.Hour, RollupGranularity.Day, RollupGranularity.Month })
        {
            var expected = edges.GroupBy(t => UtcStart(granularity, t)).Select(g => (g.Key.UtcTicks, (long)g.Count())).OrderBy(x => x).ToList();
            var actual = rollups.Where(r => r.Granularity == granularity).Select(r => (r.PeriodStart.UtcTicks, r.EventCount)).OrderBy(x => x).ToList();
            Assert.Equal(expected, actual);
        }
    }

    // The bucket in C#: the first instant of the UTC hour, day or month.
    private static DateTimeOffset UtcStart(RollupGranularity granularity, DateTimeOffset at)
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
    public async Task Run_GivesItsEfCoreCommandsTheStoresTimeout()
    {
        await IngestAsync(_bed.AlphaId, new("s1", UsageMetric.StorageGb, 100, Today.AddHours(6)), new("a1", UsageMetric.ApiCalls, 1, Today.AddHours(7)));
        var timeouts = new CommandTimeouts();
        var tenant = new TenantContext();

        await new MeteringRollupService(new InterceptedContexts(_bed.Database, tenant, timeouts), _bed.RollupStore, _bed.CommitBarrier, tenant, _bed.Time)
            .RunAsync(CancellationToken.None);

        Assert.NotEmpty(timeouts.Seen);
        Assert.All(timeouts.Seen, t => Assert.Equal((int)_bed.RollupStore.CommandTimeout.TotalSeconds, t));
    }

    private sealed class CommandTimeouts : DbCommandInterceptor
    {
        public List<int> Seen { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result,
            CancellationToken cancellationToken = default)
        {
            lock (Seen)
                Seen.Add(command.CommandTimeout);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            lock (Seen)
                Seen.Add(command.CommandTimeout);
            return ValueTask.FromResult(result);
        }
    }

    private sealed class InterceptedContexts(TestDatabase database, TenantContext tenant, IInterceptor interceptor) : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext() => database.CreateContext(tenant, interceptor);
    }

    // Fails the first commit of the transaction that saved the level-hours with the provider's transient error, as a
    // dropped connection or a busy database would: the execution strategy runs the whole transaction again.
    private sealed class FailFirstCommit(DatabaseProvider provider) : DbTransactionInterceptor, ISaveChangesInterceptor
    {
        private bool _saved;

        public bool Failed { get; private set; }

        public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            _saved = true;
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result,
            CancellationToken cancellationToken = default)
        {
            if (Failed || !_saved)
                return ValueTask.FromResult(result);
            Failed = true;
            throw provider == DatabaseProvider.Sqlite
                ? new SqliteException("database is locked (injected by the test)", 5)
                : new PostgresException("could not serialize access (injected by the test)", "ERROR", "ERROR", "40001");
        }
    }
}
