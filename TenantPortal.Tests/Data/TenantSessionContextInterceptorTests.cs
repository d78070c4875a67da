using System.Data;
using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Data;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Tests.Data;

/// <summary>
/// The SQL Server session context, without a server: a SQL Server context configured as in production, whose connection is
/// never opened and whose commands are captured instead of sent.
/// </summary>
public class TenantSessionContextInterceptorTests
{
    private static readonly Guid TenantA = new("aaaaaaaa-0000-4000-8000-00000000000a");
    private static readonly Guid TenantB = new("bbbbbbbb-0000-4000-8000-00000000000b");

    [Fact]
    public async Task EveryKindOfCommand_StartsWithTheSessionContext_OfTheTenantAtExecutionTime()
    {
        var tenant = new TenantContext();
        var (db, captured) = Create(tenant);
        await using var _ = db;

        tenant.SetTenant(TenantA);
        await RunEveryKindAsync(db, TenantA);
        var asA = captured.Take();
        // The same context and connection, now working for tenant B: the values change with the command, not the connection.
        tenant.SetTenant(TenantB);
        await RunEveryKindAsync(db, TenantB);
        var asB = captured.Take();

        Assert.Equal(6, asA.Count);
        Assert.All(asA, c => AssertSessionContext(c, TenantA, crossTenant: false));
        Assert.Equal(6, asB.Count);
        Assert.All(asB, c => AssertSessionContext(c, TenantB, crossTenant: false));
        Assert.Contains(asA, c => c.Text.Contains("INSERT INTO [ApiKeys]", StringComparison.Ordinal));
        Assert.Contains(asA, c => c.Text.Contains("DELETE FROM [a]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACrossTenantScope_ClearsTheTenant_AndSetsCrossTenant_UntilItEnds()
    {
        var tenant = new TenantContext();
        tenant.SetTenant(TenantA);
        var (db, captured) = Create(tenant);
        await using var _ = db;

        using (tenant.BeginCrossTenantScope("operator work"))
            await RunEveryKindAsync(db, TenantB);
        var crossTenant = captured.Take();
        using (db.BeginCrossTenantScope("one read on this context"))
            await db.ApiKeys.ToListAsync();
        var contextScope = captured.Take();
        await db.ApiKeys.ToListAsync();
        var afterwards = captured.Take();

        Assert.Equal(6, crossTenant.Count);
        Assert.All(crossTenant, c => AssertSessionContext(c, null, crossTenant: true));
        AssertSessionContext(Assert.Single(contextScope), null, crossTenant: true);
        AssertSessionContext(Assert.Single(afterwards), TenantA, crossTenant: false);
    }

    [Fact]
    public async Task WithNoTenant_TheSessionContextSaysNone_SoTheRowLevelSecurityPolicyShowsNoTenantRow()
    {
        var (db, captured) = Create(new TenantContext());
        await using var _ = db;

        await db.ApiKeys.ToListAsync();
        db.ApiKeys.ToList();

        Assert.All(captured.Take(), c => AssertSessionContext(c, null, crossTenant: false));
    }

    [Theory]
    [InlineData(CommandSource.Migrations, false)]
    [InlineData(CommandSource.LinqQuery, true)]
    [InlineData(CommandSource.SaveChanges, true)]
    [InlineData(CommandSource.ExecuteDelete, true)]
    [InlineData(CommandSource.ExecuteSqlRaw, true)]
    public void OnlyMigrationCommands_AreLeftAsTheyAre_SoCreateFunctionAndPolicyStartTheirBatch(CommandSource source, bool prefixed)
    {
        var tenant = new TenantContext();
        tenant.SetTenant(TenantA);
        var (db, _) = Create(tenant);
        using var _db = db;
        using var connection = new SqlConnection(SqlServerDesignTimeFactory.OfflineConnectionString);
        using var command = new SqlCommand("EXEC(N'CREATE FUNCTION [security].[fn_tenant_access] …');", connection);
        var eventData = new CommandEventData(null!, null!, connection, command, command.CommandText, db, DbCommandMethod.ExecuteNonQuery,
            Guid.NewGuid(), Guid.NewGuid(), async: false, logParameterValues: false, DateTimeOffset.UtcNow, source);

        new TenantSessionContextInterceptor().NonQueryExecuting(command, eventData, default);

        Assert.Equal(prefixed, command.CommandText.StartsWith(TenantSessionContext.Prefix, StringComparison.Ordinal));
        Assert.Equal(prefixed ? 2 : 0, command.Parameters.Count);
    }

    [Fact]
    public void TheSqlServerContext_RetriesTransientErrors_WithExplicitLimits()
    {
        var (db, _) = Create(new TenantContext());
        using var __ = db;

        var strategy = db.Database.CreateExecutionStrategy();

        Assert.IsType<SqlServerRetryingExecutionStrategy>(strategy);
        Assert.True(strategy.RetriesOnFailure);
        var extension = db.GetService<IDbContextOptions>().Extensions.OfType<CoreOptionsExtension>().Single();
        Assert.Contains(extension.Interceptors ?? [], i => i is TenantSessionContextInterceptor);
        Assert.Equal(5, SqlServerContextOptions.MaxRetryCount);
        Assert.Equal(TimeSpan.FromSeconds(10), SqlServerContextOptions.MaxRetryDelay);
    }

    [Fact]
    public void SharedBuilder_PrefixesARawCommand_AndRevaluesItWhenRunAgain()
    {
        using var command = new SqlCommand("SELECT 1;");

        TenantSessionContext.Apply(command, TenantA, crossTenant: false);
        AssertSessionContext(Captured.From(command), TenantA, crossTenant: false);
        TenantSessionContext.Apply(command, TenantA, crossTenant: true);

        var again = Captured.From(command);
        AssertSessionContext(again, null, crossTenant: true);
        Assert.Equal(1, CountOf(again.Text, "sp_set_session_context @key = N'TenantId'"));
        Assert.Equal(2, command.Parameters.Count);
        Assert.Equal(SqlDbType.UniqueIdentifier, command.Parameters[TenantSessionContext.TenantIdParameter].SqlDbType);
        Assert.Equal(SqlDbType.Bit, command.Parameters[TenantSessionContext.CrossTenantParameter].SqlDbType);
    }

    private static async Task RunEveryKindAsync(PortalDbContext db, Guid tenantId)
    {
        await db.ApiKeys.Where(k => k.Name == "x").ToListAsync();
        _ = db.ApiKeys.Where(k => k.Name == "y").ToList();
        db.ApiKeys.Add(new ApiKey { TenantId = tenantId, Name = "new", Prefix = "tp_live_00000000", SecretHash = "h" });
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        await db.ApiKeys.Where(k => k.Name == "old").ExecuteDeleteAsync();
        db.ApiKeys.Where(k => k.Name == "older").ExecuteDelete();
        // A scalar command, as EF Core runs one (raw SQL through the relational command pipeline).
        db.GetService<IRawSqlCommandBuilder>().Build("SELECT 1").ExecuteScalar(new RelationalCommandParameterObject(
            db.GetService<IRelationalConnection>(), null, null, db, db.GetService<IRelationalCommandDiagnosticsLogger>(), CommandSource.ExecuteSqlRaw));
    }

    private static void AssertSessionContext(Captured command, Guid? tenantId, bool crossTenant)
    {
        Assert.StartsWith(TenantSessionContext.Prefix, command.Text, StringComparison.Ordinal);
        Assert.StartsWith("EXEC sp_set_session_context @key = N'TenantId', @value = @__rls_tenant; EXEC sp_set_session_context @key = N'CrossTenant', @value = @__rls_cross;",
            command.Text, StringComparison.Ordinal);
        Assert.Equal(tenantId is { } id ? id : DBNull.Value, command.Parameters[TenantSessionContext.TenantIdParameter]);
        Assert.Equal(crossTenant, command.Parameters[TenantSessionContext.CrossTenantParameter]);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private static (SqlServerPortalDbContext Db, CommandCapture Captured) Create(TenantContext tenant)
    {
        var capture = new CommandCapture();
        var options = new DbContextOptionsBuilder<SqlServerPortalDbContext>();
        SqlServerContextOptions.Configure(options, SqlServerDesignTimeFactory.OfflineConnectionString, new TenantSessionContextInterceptor());
        // After the session-context interceptor: the capture sees the command as it would be sent.
        options.AddInterceptors(new NoConnection(), capture);
        return (new SqlServerPortalDbContext(options.Options, tenant), capture);
    }

    /// <summary>A command as it would have been sent: its text and parameter values.</summary>
    private sealed record Captured(string Text, Dictionary<string, object?> Parameters)
    {
        public static Captured From(DbCommand command) => new(command.CommandText,
            command.Parameters.Cast<DbParameter>().ToDictionary(p => p.ParameterName, p => p.Value));
    }

    private sealed class NoConnection : DbConnectionInterceptor
    {
        public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
            InterceptionResult.Suppress();

        public override ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData,
            InterceptionResult result, CancellationToken cancellationToken = default) => ValueTask.FromResult(InterceptionResult.Suppress());

        public override InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
            InterceptionResult.Suppress();

        public override ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
            ValueTask.FromResult(InterceptionResult.Suppress());
    }

    private sealed class CommandCapture : DbCommandInterceptor
    {
        private readonly List<Captured> _commands = [];

        // No rows, and more columns than any query reads (EF Core checks the count before reading).
        private static DataTableReader EmptyResult()
        {
            var table = new DataTable();
            for (var i = 0; i < 64; i++)
                table.Columns.Add($"c{i}", typeof(object));
            return table.CreateDataReader();
        }

        public List<Captured> Take()
        {
            var taken = _commands.ToList();
            _commands.Clear();
            return taken;
        }

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            _commands.Add(Captured.From(command));
            return InterceptionResult<DbDataReader>.SuppressWithResult(EmptyResult());
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(ReaderExecuting(command, eventData, result));

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        {
            _commands.Add(Captured.From(command));
            return InterceptionResult<int>.SuppressWithResult(1);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(NonQueryExecuting(command, eventData, result));

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
        {
            _commands.Add(Captured.From(command));
            return InterceptionResult<object>.SuppressWithResult(0);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<object> result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(ScalarExecuting(command, eventData, result));
    }
}
