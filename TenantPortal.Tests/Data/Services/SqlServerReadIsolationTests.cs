using System.Data;
using Microsoft.Extensions.Time.Testing;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

/// <summary>
/// On SQL Server every read that sums rollups against the watermark, or reads the watermark while a rollup may hold it,
/// runs in a SNAPSHOT transaction (row versions: it neither waits for the rollup's locks nor sees half of it); the
/// rollup's and the quota totals' highest-id reads come after the closed commit barrier, in the same transaction.
/// Checked on EF Core's SQL Server code path without a server (<see cref="OfflineSqlServerContexts"/>).
/// </summary>
public class SqlServerReadIsolationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Month = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Guid TenantId = Guid.NewGuid();

    private static bool ReadsRollups(string sql) => sql.Contains("[UsageRollups]", StringComparison.Ordinal);

    private static bool ReadsWatermark(string sql) => sql.Contains("[MeteringWatermarks]", StringComparison.Ordinal);

    private static bool ReadsHighestEventId(string sql) => sql.Contains("MAX(", StringComparison.Ordinal) && sql.Contains("[UsageEvents]", StringComparison.Ordinal);

    [Fact]
    public async Task QuotaCheck_ReadsRollupsAndWatermark_InASnapshotTransaction()
    {
        var contexts = ForTenant(ReadsRollups);
        await using var db = contexts.CreateDbContext();

        var stopped = await Assert.ThrowsAsync<QueryStopped>(() => UsageMeter.UsedAsync(db, UsageMetric.ApiCalls, Month, Now, CancellationToken.None));

        Assert.True(ReadsWatermark(stopped.Sql), "one statement reads the rollups against the watermark");
        Assert.Equal(IsolationLevel.Snapshot, stopped.Isolation);
    }

    [Fact]
    public async Task PeriodUsage_ForInvoices_ReadsInASnapshotTransaction()
    {
        var contexts = ForTenant(ReadsRollups);
        await using var db = contexts.CreateDbContext();

        var stopped = await Assert.ThrowsAsync<QueryStopped>(() => UsageMeter.PeriodUsageAsync(db, Month, Now, CancellationToken.None));

        Assert.Equal(IsolationLevel.Snapshot, stopped.Isolation);
    }

    [Fact]
    public async Task QuotaTotals_CloseTheBarrier_ThenReadTheHighestIdInTheSameSnapshotTransaction()
    {
        var contexts = ForTenant(ReadsHighestEventId);
        await using var db = contexts.CreateDbContext();

        var stopped = await Assert.ThrowsAsync<QueryStopped>(() => UsageMeter.TotalsAsync(db, Month, Now, new SqlServerUsageCommitBarrier(), CancellationToken.None));

        Assert.Equal(IsolationLevel.Snapshot, stopped.Isolation);
        var barrier = Assert.Single(contexts.Connection.Commands);
        Assert.Contains("sp_getapplock", barrier.Text, StringComparison.Ordinal);
        Assert.Contains("N'Exclusive'", barrier.Text, StringComparison.Ordinal);
        Assert.Equal(IsolationLevel.Snapshot, barrier.Transaction?.IsolationLevel);
    }

    [Fact]
    public async Task Rollup_ReadsTheHighestId_AfterClosingTheBarrier_InTheSameTransaction()
    {
        var tenant = new TenantContext();
        var contexts = new OfflineSqlServerContexts(tenant, ReadsHighestEventId);
        contexts.Connection.Rows = sql => ReadsWatermark(sql) ? Table(typeof(long), 0L) : null;
        var rollup = new MeteringRollupService(contexts, new SqlServerRollupStore(), new SqlServerUsageCommitBarrier(), tenant, new FakeTimeProvider(Now));

        var stopped = await Assert.ThrowsAsync<QueryStopped>(() => rollup.RunAsync(CancellationToken.None));

        var barrier = contexts.Connection.Commands[^1];
        Assert.Contains("sp_getapplock", barrier.Text, StringComparison.Ordinal);
        Assert.Contains("N'Exclusive'", barrier.Text, StringComparison.Ordinal);
        Assert.NotNull(barrier.Transaction);
        Assert.Equal(barrier.Transaction.IsolationLevel, stopped.Isolation);
        Assert.Equal((int)SqlServerRollupStore.RunCommandTimeout.TotalSeconds, contexts.Connection.Commands[0].Timeout);
    }

    [Fact]
    public async Task RollupLag_ReadsTheWatermarkInASnapshotTransaction_NotWaitingForARunningRollup()
    {
        var tenant = new TenantContext();
        var contexts = new OfflineSqlServerContexts(tenant, ReadsWatermark);
        var rollup = new MeteringRollupService(contexts, new SqlServerRollupStore(), new SqlServerUsageCommitBarrier(), tenant, new FakeTimeProvider(Now));

        var stopped = await Assert.ThrowsAsync<QueryStopped>(() => rollup.LagAsync(CancellationToken.None));

        Assert.Equal(IsolationLevel.Snapshot, stopped.Isolation);
    }

    [Fact]
    public async Task DailyUsageHistory_ReadsInASnapshotTransaction()
    {
        var contexts = ForTenant(ReadsRollups);
        var history = new UsageHistoryService(contexts, new FakeTimeProvider(Now));

        var stopped = await Assert.ThrowsAsync<QueryStopped>(() =>
            history.DailyAsync(DateOnly.FromDateTime(Month.UtcDateTime), DateOnly.FromDateTime(Now.UtcDateTime), CancellationToken.None));

        Assert.Equal(IsolationLevel.Snapshot, stopped.Isolation);
    }

    [Fact]
    public async Task RolledUpHistoryPage_ReadsInASnapshotTransaction()
    {
        var contexts = ForTenant(ReadsRollups);
        var history = new UsageHistoryService(contexts, new FakeTimeProvider(Now));
        var key = Actor.ForApiKey(new ApiKeyActor(Guid.NewGuid(), TenantId, "ci", "tp_live_abcdefgh", [ApiKeyScopes.UsageRead]), "user", "user@example.test", null);

        var stopped = await Assert.ThrowsAsync<QueryStopped>(() =>
            history.QueryAsync(key, new UsageHistoryQuery(null, RollupGranularity.Day, null, null, 50), CancellationToken.None));

        Assert.Equal(IsolationLevel.Snapshot, stopped.Isolation);
    }

    [Fact]
    public async Task FleetList_ReadsCountAndPageInOneSnapshotTransaction()
    {
        var contexts = AsOperator(sql => sql.Contains("COUNT(", StringComparison.Ordinal));
        var fleet = new FleetService(contexts, contexts.Tenant, new FakeTimeProvider(Now));

        var stopped = await Assert.ThrowsAsync<QueryStopped>(() => fleet.ListAsync(Operator, new FleetQuery(), CancellationToken.None));

        Assert.Equal(IsolationLevel.Snapshot, stopped.Isolation);
    }

    [Fact]
    public async Task FleetSummary_ReadsInOneSnapshotTransaction()
    {
        var contexts = AsOperator(sql => sql.Contains("GROUP BY", StringComparison.Ordinal));
        var fleet = new FleetService(contexts, contexts.Tenant, new FakeTimeProvider(Now));

        var stopped = await Assert.ThrowsAsync<QueryStopped>(() => fleet.SummaryAsync(Operator, CancellationToken.None));

        Assert.Equal(IsolationLevel.Snapshot, stopped.Isolation);
    }

    private static readonly Actor Operator = new("operator-id", "ops@example.test", null);

    private static OfflineSqlServerContexts ForTenant(Func<string, bool> stopAt)
    {
        var tenant = new TenantContext();
        tenant.SetTenant(TenantId);
        return new OfflineSqlServerContexts(tenant, stopAt);
    }

    // The operator check answers yes; every other read stops or has no rows.
    private static OfflineSqlServerContexts AsOperator(Func<string, bool> stopAt)
    {
        var contexts = new OfflineSqlServerContexts(new TenantContext(), stopAt);
        contexts.Connection.Rows = sql => sql.Contains("[AspNetRoles]", StringComparison.Ordinal) ? Table(typeof(bool), true) : null;
        return contexts;
    }

    private static DataTable Table(Type type, object value)
    {
        var table = new DataTable();
        table.Columns.Add("Value", type);
        table.Rows.Add(value);
        return table;
    }
}
