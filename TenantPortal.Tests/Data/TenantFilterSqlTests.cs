using System.Data;
using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using TenantPortal.Core.Usage;
using TenantPortal.Data;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Tests.Data;

/// <summary>
/// The SQL each provider is sent for the tenant filter, without a server: a context configured as in production (with
/// <see cref="TenantFilterSqlInterceptor"/>, which <see cref="PortalDbContext"/> registers) whose connection is never opened
/// and whose commands are captured after every interceptor ran. A tenant read is one equality on <c>TenantId</c> with no OR
/// (SQL Server caches a plan for that text that seeks the tenant index; PostgreSQL's generic plans and SQLite use it too), a
/// cross-tenant read keeps the cross-tenant term: two texts, so no cached plan serves both.
/// </summary>
public class TenantFilterSqlTests
{
    private static readonly Guid TenantA = new("aaaaaaaa-0000-4000-8000-00000000000a");

    public static TheoryData<string> Providers => ["Sqlite", "SqlServer", "PostgreSql"];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TenantRead_IsSentAsOneEqualityOnTheTenant_WithoutAnOr(string provider)
    {
        var (db, sent) = Create(provider, ForTenant(TenantA));
        await using var _ = db;

        await db.UsageEvents.Where(e => e.Metric == UsageMetric.StorageGb).Select(e => e.Quantity).ToListAsync();

        var sql = Statement(Assert.Single(sent));
        Assert.DoesNotContain(" OR ", sql, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("CrossTenant", sql, StringComparison.OrdinalIgnoreCase);
        Assert.Single(TenantEquality(provider).Matches(sql));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TenantRead_OfTheAuditLog_IsSentWithoutAnOr(string provider)
    {
        var (db, sent) = Create(provider, ForTenant(TenantA));
        await using var _ = db;

        await db.AuditEntries.OrderByDescending(e => e.OccurredAt).Select(e => e.Action).ToListAsync();

        var sql = Statement(Assert.Single(sent));
        Assert.DoesNotContain(" OR ", sql, StringComparison.OrdinalIgnoreCase);
        Assert.Single(TenantEquality(provider).Matches(sql));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TenantRead_OfAJoin_FiltersEachTableByTheTenant_WithoutAnOr(string provider)
    {
        var (db, sent) = Create(provider, ForTenant(TenantA));
        await using var _ = db;

        await db.InvoiceLines.Join(db.Invoices, l => l.InvoiceId, i => i.Id, (l, i) => new { l.Description, i.Number }).ToListAsync();

        var sql = Statement(Assert.Single(sent));
        Assert.DoesNotContain(" OR ", sql, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, TenantEquality(provider).Matches(sql).Count);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TenantDelete_IsSentWithoutAnOr(string provider)
    {
        var (db, sent) = Create(provider, ForTenant(TenantA));
        await using var _ = db;

        await db.UsageEvents.Where(e => e.Metric == UsageMetric.ApiCalls).ExecuteDeleteAsync();

        var sql = Statement(Assert.Single(sent));
        Assert.DoesNotContain(" OR ", sql, StringComparison.OrdinalIgnoreCase);
        Assert.Single(TenantEquality(provider).Matches(sql));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task CrossTenantRead_KeepsTheCrossTenantTerm_AsAnotherStatement(string provider)
    {
        var (db, sent) = Create(provider, ForTenant(TenantA));
        await using var _ = db;

        await db.UsageEvents.Select(e => e.Quantity).ToListAsync();
        using (db.BeginCrossTenantScope("test: every tenant's events"))
            await db.UsageEvents.Select(e => e.Quantity).ToListAsync();

        Assert.Equal(2, sent.Count);
        Assert.DoesNotContain("@ef_filter__CrossTenant", Statement(sent[0]), StringComparison.Ordinal);
        Assert.Contains("@ef_filter__CrossTenant", Statement(sent[1]), StringComparison.Ordinal);
        Assert.NotEqual(Statement(sent[0]), Statement(sent[1]));
    }

    [Fact]
    public void Rewritten_DropsSqlServersCrossTenantTerm_WhenTheParameterIsFalse()
    {
        const string sql = "SELECT [u].[Quantity] FROM [UsageEvents] AS [u] WHERE @ef_filter__CrossTenant = CAST(1 AS bit) OR [u].[TenantId] = @ef_filter__CurrentTenantId";

        Assert.Equal("SELECT [u].[Quantity] FROM [UsageEvents] AS [u] WHERE [u].[TenantId] = @ef_filter__CurrentTenantId",
            TenantFilterSqlInterceptor.Rewritten(sql, _ => false));
        Assert.Equal(sql, TenantFilterSqlInterceptor.Rewritten(sql, _ => true));
    }

    // The statement itself: SQL Server's session-context and PostgreSQL's tenant-setting prefixes come first.
    private static string Statement(string sql)
    {
        var select = sql.LastIndexOf("SELECT", StringComparison.Ordinal);
        var delete = sql.LastIndexOf("DELETE", StringComparison.Ordinal);
        return sql[Math.Max(select, delete)..];
    }

    private static Regex TenantEquality(string provider) => provider switch
    {
        "SqlServer" => new(@"\[\w+\]\.\[TenantId\] = @ef_filter__CurrentTenantId"),
        _ => new("\"?\\w+\"?\\.\"TenantId\" = @ef_filter__CurrentTenantId"),
    };

    private static TenantContext ForTenant(Guid tenantId)
    {
        var tenant = new TenantContext();
        tenant.SetTenant(tenantId);
        return tenant;
    }

    // Configured as the portal configures each provider, plus: no connection, and the commands captured as sent.
    private static (PortalDbContext Db, List<string> Sent) Create(string provider, TenantContext tenant)
    {
        var sent = new SentCommands();
        PortalDbContext db = provider switch
        {
            "Sqlite" => new SqlitePortalDbContext(new DbContextOptionsBuilder<SqlitePortalDbContext>()
                .UseSqlite("Data Source=unused.db").AddInterceptors(new NoConnection(), sent).Options, tenant),
            "SqlServer" => new SqlServerPortalDbContext(SqlServer(new NoConnection(), sent), tenant),
            "PostgreSql" => new PostgreSqlPortalDbContext(new DbContextOptionsBuilder<PostgreSqlPortalDbContext>()
                .UseNpgsql("Host=unused;Database=unused").AddInterceptors(new PostgreSqlTenantSettingInterceptor(), new NoConnection(), sent).Options, tenant),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Sqlite, SqlServer or PostgreSql."),
        };
        return (db, sent.Texts);
    }

    private static DbContextOptions<SqlServerPortalDbContext> SqlServer(params IInterceptor[] interceptors)
    {
        var options = new DbContextOptionsBuilder<SqlServerPortalDbContext>();
        SqlServerContextOptions.Configure(options, SqlServerDesignTimeFactory.OfflineConnectionString, new TenantSessionContextInterceptor());
        return options.AddInterceptors(interceptors).Options;
    }

    private sealed class NoConnection : DbConnectionInterceptor
    {
        public override ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData,
            InterceptionResult result, CancellationToken cancellationToken = default) => ValueTask.FromResult(InterceptionResult.Suppress());

        public override ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
            ValueTask.FromResult(InterceptionResult.Suppress());
    }

    // Suppresses execution (an empty result) and records the text in the Executed events, which run after every
    // interceptor's Executing event: the text as it would have been sent.
    private sealed class SentCommands : DbCommandInterceptor
    {
        public List<string> Texts { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            var table = new DataTable();
            for (var i = 0; i < 64; i++)
                table.Columns.Add($"c{i}", typeof(object));
            return ValueTask.FromResult(InterceptionResult<DbDataReader>.SuppressWithResult(table.CreateDataReader()));
        }

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
            CancellationToken cancellationToken = default)
        {
            Texts.Add(command.CommandText);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(InterceptionResult<int>.SuppressWithResult(0));

        public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
            CancellationToken cancellationToken = default)
        {
            Texts.Add(command.CommandText);
            return ValueTask.FromResult(result);
        }
    }
}
