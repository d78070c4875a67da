using Microsoft.EntityFrameworkCore;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using TenantPortal.Core.Usage;
using TenantPortal.Data;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

/// <summary>
/// SQL Server's usage commit barrier, checked without a server: the application lock each side asks for (valid T-SQL,
/// owned by the transaction), the error when it is not granted, and the ingest store entering it before its inserts.
/// </summary>
public class SqlServerUsageCommitBarrierTests
{
    [Fact]
    public async Task EnterIngestAsync_AsksForTheSharedApplicationLock_OwnedByTheTransaction()
    {
        var connection = new RecordingDbConnection();
        var transaction = await connection.BeginTransactionAsync();

        await new SqlServerUsageCommitBarrier().EnterIngestAsync(connection, transaction, CancellationToken.None);

        var command = Assert.Single(connection.Commands);
        AssertAppLock(command, "Shared");
        Assert.Same(transaction, command.Transaction);
    }

    [Fact]
    public async Task CloseAsync_AsksForTheExclusiveApplicationLock_OwnedByTheTransaction()
    {
        var connection = new RecordingDbConnection();
        var transaction = await connection.BeginTransactionAsync();

        await new SqlServerUsageCommitBarrier().CloseAsync(connection, transaction, CancellationToken.None);

        var command = Assert.Single(connection.Commands);
        AssertAppLock(command, "Exclusive");
        Assert.Same(transaction, command.Transaction);
    }

    [Theory]
    [InlineData(-1, "timed out")]
    [InlineData(-3, "deadlock victim")]
    public async Task EnterIngestAsync_ThrowsTimeoutNamingTheLock_WhenTheLockIsNotGranted(int result, string reason)
    {
        var connection = new RecordingDbConnection { Scalar = _ => result };
        var transaction = await connection.BeginTransactionAsync();

        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            new SqlServerUsageCommitBarrier().EnterIngestAsync(connection, transaction, CancellationToken.None));

        Assert.Contains(SqlServerUsageCommitBarrier.Resource, error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InsertAsync_EntersTheBarrierOnItsTransaction_BeforeItsFirstInsert()
    {
        var connection = new RecordingDbConnection();
        var transaction = await connection.BeginTransactionAsync();
        var store = new SqlServerUsageEventStore(new NoContexts(), new SqlServerUsageCommitBarrier());
        var events = Enumerable.Range(0, 401)
            .Select(i => new UsageEventInput($"evt-{i}", UsageMetric.ApiCalls, 1, DateTimeOffset.UnixEpoch)).ToList();

        await store.InsertAsync(connection, transaction, Guid.NewGuid(), events, DateTimeOffset.UnixEpoch, CancellationToken.None);

        Assert.Equal(3, connection.Commands.Count); // the lock, then two statements of at most 400 rows
        AssertAppLock(connection.Commands[0], "Shared");
        Assert.All(connection.Commands.Skip(1), c => Assert.Contains("INSERT INTO [UsageEvents]", c.Text, StringComparison.Ordinal));
        Assert.All(connection.Commands, c => Assert.Same(transaction, c.Transaction));
    }

    // The command is one EXEC of sp_getapplock, return code selected, with the mode asked, owned by the transaction.
    private static void AssertAppLock(RecordedCommand command, string mode)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(command.Text);
        var script = parser.Parse(reader, out var errors);
        Assert.Empty(errors);
        var visitor = new TSqlExecVisitor();
        script.Accept(visitor);
        var exec = Assert.Single(visitor.Executes);
        var procedure = Assert.IsType<ExecutableProcedureReference>(exec.ExecuteSpecification.ExecutableEntity);
        Assert.Equal("sp_getapplock", procedure.ProcedureReference.ProcedureReference.Name.BaseIdentifier.Value);
        var parameters = procedure.Parameters.ToDictionary(p => p.Variable.Name, p => p.ParameterValue, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(SqlServerUsageCommitBarrier.Resource, Assert.IsType<StringLiteral>(parameters["@Resource"]).Value);
        Assert.Equal(mode, Assert.IsType<StringLiteral>(parameters["@LockMode"]).Value);
        Assert.Equal("Transaction", Assert.IsType<StringLiteral>(parameters["@LockOwner"]).Value);
        Assert.Equal("@timeout", Assert.IsType<VariableReference>(parameters["@LockTimeout"]).Name);
        Assert.Equal((int)SqlServerUsageCommitBarrier.LockTimeout.TotalMilliseconds, command.Parameters["@timeout"]);
        Assert.True(command.Timeout > SqlServerUsageCommitBarrier.LockTimeout.TotalSeconds, "the command must outlast the lock's own timeout");
    }

    // InsertAsync works on the connection it is given; the store's contexts are not used.
    private sealed class NoContexts : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext() => throw new NotSupportedException();
    }
}
