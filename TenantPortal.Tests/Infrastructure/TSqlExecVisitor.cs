using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>Collects the EXEC statements of a parsed T-SQL script (tests of the procedures SQL Server code calls).</summary>
public sealed class TSqlExecVisitor : TSqlFragmentVisitor
{
    /// <summary>The EXEC statements, in script order.</summary>
    public List<ExecuteStatement> Executes { get; } = [];

    /// <inheritdoc />
    public override void Visit(ExecuteStatement node) => Executes.Add(node);
}
