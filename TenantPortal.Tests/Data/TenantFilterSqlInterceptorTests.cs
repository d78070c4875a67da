using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using TenantPortal.Core.Usage;
using TenantPortal.Data;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Builders;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data;

public class TenantFilterSqlInterceptorTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private readonly SqliteTestDatabase _database = new();
    private Guid _tenantA;
    private Guid _tenantB;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await using var db = _database.CrossTenant();
        var a = new TenantBuilder().Build();
        var b = new TenantBuilder().Build();
        db.Tenants.AddRange(a, b);
        db.UsageEvents.AddRange(
            new UsageEvent { TenantId = a.Id, ClientEventId = "a-1", Metric = UsageMetric.StorageGb, Quantity = 3, Timestamp = At, ReceivedAt = At },
            new UsageEvent { TenantId = b.Id, ClientEventId = "b-1", Metric = UsageMetric.StorageGb, Quantity = 9, Timestamp = At.AddHours(1), ReceivedAt = At });
        await db.SaveChangesAsync();
        (_tenantA, _tenantB) = (a.Id, b.Id);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public void Rewritten_DropsTheCrossTenantTerm_WhenTheParameterIsFalse()
    {
        const string sql = """SELECT "u"."Quantity" FROM "UsageEvents" AS "u" WHERE (@ef_filter__CrossTenant2 OR "u"."TenantId" = @ef_filter__CurrentTenantId) AND "u"."Metric" = @gauge""";

        var rewritten = TenantFilterSqlInterceptor.Rewritten(sql, _ => false);

        Assert.Equal("""SELECT "u"."Quantity" FROM "UsageEvents" AS "u" WHERE ("u"."TenantId" = @ef_filter__CurrentTenantId) AND "u"."Metric" = @gauge""", rewritten);
    }

    [Fact]
    public void Rewritten_KeepsTheStatement_InACrossTenantScope()
    {
        const string sql = """SELECT 1 FROM "UsageEvents" AS "u" WHERE @ef_filter__CrossTenant OR "u"."TenantId" = @ef_filter__CurrentTenantId""";

        Assert.Equal(sql, TenantFilterSqlInterceptor.Rewritten(sql, _ => true));
    }

    [Fact]
    public void Rewritten_KeepsTheStatement_WhenTheParameterIsNotTheHeadOfAGroup()
    {
        // "a AND @p OR b" is "(a AND @p) OR b": dropping "@p OR" would change it.
        const string sql = """SELECT 1 FROM "T" AS "t" WHERE "t"."A" = 1 AND @ef_filter__CrossTenant OR "t"."TenantId" = @ef_filter__CurrentTenantId""";

        Assert.Equal(sql, TenantFilterSqlInterceptor.Rewritten(sql, _ => false));
    }

    [Fact]
    public async Task TenantRead_SendsTheStatementWithoutTheCrossTenantTerm_AndSeesOnlyItsRows()
    {
        var sent = new SentStatements();
        var tenant = new TenantContext();
        tenant.SetTenant(_tenantA);
        await using var db = new SqlitePortalDbContext(
            new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite(_database.ConnectionString).AddInterceptors(sent).Options, tenant);

        var levels = await db.UsageEvents.Where(e => e.Metric == UsageMetric.StorageGb).OrderByDescending(e => e.Timestamp).Select(e => e.Quantity).ToListAsync();

        Assert.Equal([3m], levels);
        var statement = Assert.Single(sent.Texts);
        Assert.DoesNotContain("@ef_filter__CrossTenant", statement, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CrossTenantRead_StillSeesEveryTenantsRows()
    {
        await using var db = _database.CrossTenant();

        var tenants = await db.UsageEvents.Select(e => e.TenantId).Distinct().ToListAsync();

        Assert.Equal(new[] { _tenantA, _tenantB }.Order(), tenants.Order());
    }

    // Runs after execution: sees the text the database was sent.
    private sealed class SentStatements : DbCommandInterceptor
    {
        public List<string> Texts { get; } = [];

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            Texts.Add(command.CommandText);
            return ValueTask.FromResult(result);
        }
    }
}
