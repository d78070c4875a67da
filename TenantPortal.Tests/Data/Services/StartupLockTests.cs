using Microsoft.SqlServer.TransactSql.ScriptDom;
using TenantPortal.Data.Services.Startup;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

/// <summary>
/// The start-up lock that instances started together take for a step only one may do first (the first Data Protection
/// key): on PostgreSQL on a real server, on SQL Server its T-SQL.
/// </summary>
public class StartupLockTests : IAsyncLifetime
{
    private readonly PostgreSqlTestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task PostgreSql_ASecondInstance_WaitsUntilTheFirstReleases_AndOtherNamesDoNotWait()
    {
        var startupLock = new PostgreSqlStartupLock(_database.DataSource);
        var name = $"test-{Guid.NewGuid():N}";

        var first = await startupLock.AcquireAsync(name, CancellationToken.None);
        var second = startupLock.AcquireAsync(name, CancellationToken.None);
        await using (await startupLock.AcquireAsync($"{name}-other", CancellationToken.None).WaitAsync(TestTimeouts.Generous))
        {
            // Another name is granted while the first is held; by then the second has had its chance to be granted.
        }
        var waitedWhileHeld = !second.IsCompleted;
        await first.DisposeAsync();
        await using var granted = await second.WaitAsync(TestTimeouts.Generous);

        Assert.True(waitedWhileHeld, "the second instance was granted the lock while the first held it");
    }

    [Fact]
    public void PostgreSql_TheKey_IsTheSameForTheSameName_InEveryProcess()
    {
        // Derived from the name's bytes, not string.GetHashCode (which differs per process).
        Assert.Equal(PostgreSqlStartupLock.KeyOf(DataProtectionKeyRing.LockName), PostgreSqlStartupLock.KeyOf("TenantPortal.DataProtection.KeyRing"));
        Assert.NotEqual(PostgreSqlStartupLock.KeyOf("a"), PostgreSqlStartupLock.KeyOf("b"));
    }

    [Fact]
    public void SqlServer_TheLock_IsAnExclusiveApplicationLockOwnedByTheSession_AndReleasedByName()
    {
        var acquire = Procedure(SqlServerStartupLock.AcquireText, "sp_getapplock");
        var release = Procedure(SqlServerStartupLock.ReleaseText, "sp_releaseapplock");

        Assert.Equal("@name", Assert.IsType<VariableReference>(acquire["@Resource"]).Name);
        Assert.Equal("Exclusive", Assert.IsType<StringLiteral>(acquire["@LockMode"]).Value);
        // Owned by the session: held on the lock's own connection while the step's statements run on others.
        Assert.Equal("Session", Assert.IsType<StringLiteral>(acquire["@LockOwner"]).Value);
        Assert.Equal("@timeout", Assert.IsType<VariableReference>(acquire["@LockTimeout"]).Name);
        Assert.Equal("@name", Assert.IsType<VariableReference>(release["@Resource"]).Name);
        Assert.Equal("Session", Assert.IsType<StringLiteral>(release["@LockOwner"]).Value);
    }

    // The one EXEC of the batch: it parses, and calls the procedure with these parameters.
    private static Dictionary<string, ScalarExpression> Procedure(string batch, string name)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(batch);
        var script = parser.Parse(reader, out var errors);
        Assert.Empty(errors);
        var visitor = new TSqlExecVisitor();
        script.Accept(visitor);
        var exec = Assert.Single(visitor.Executes);
        var procedure = Assert.IsType<ExecutableProcedureReference>(exec.ExecuteSpecification.ExecutableEntity);
        Assert.Equal(name, procedure.ProcedureReference.ProcedureReference.Name.BaseIdentifier.Value);
        return procedure.Parameters.ToDictionary(p => p.Variable.Name, p => p.ParameterValue, StringComparer.OrdinalIgnoreCase);
    }
}
