using Microsoft.EntityFrameworkCore.Migrations;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Data.Migrations;

/// <summary>
/// SQL Server row-level security for the tenant-owned tables, as migration steps: the predicate function
/// <c>security.fn_tenant_access</c> over the session context (<see cref="TenantSessionContext"/>) and the security policy
/// <c>security.tenant_isolation</c> with a FILTER predicate and the four BLOCK predicates per table. A migration that adds a
/// tenant-owned table calls <see cref="AddTable"/> for it (and <see cref="RemoveTable"/> in its Down).
/// </summary>
/// <remarks>
/// Every statement is wrapped in <c>EXEC(N'…')</c>: EF Core puts each step of an idempotent script inside
/// <c>IF NOT EXISTS (…) BEGIN … END</c>, where CREATE SCHEMA, CREATE FUNCTION and CREATE SECURITY POLICY could not start their batch.
/// </remarks>
public static class RowLevelSecurity
{
    /// <summary>The schema of the function and the policy (tables stay in dbo, so the portal's login can be denied this one).</summary>
    public const string Schema = "security";

    /// <summary>The inline, schema-bound predicate function.</summary>
    public const string PredicateFunction = "fn_tenant_access";

    /// <summary>The security policy over every tenant-owned table.</summary>
    public const string Policy = "tenant_isolation";

    /// <summary>The schema of the tenant-owned tables (EF Core maps them to the default schema).</summary>
    public const string TableSchema = "dbo";

    // Write-side checks: a row may not be inserted or updated into another tenant, nor a foreign row updated or deleted.
    private static readonly string[] BlockOperations = ["AFTER INSERT", "AFTER UPDATE", "BEFORE UPDATE", "BEFORE DELETE"];

    /// <summary>Creates the schema, the predicate function and the policy over <paramref name="tables"/>, switched on.</summary>
    public static void CreatePolicy(MigrationBuilder migrationBuilder, params string[] tables)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        if (tables.Length == 0)
            throw new ArgumentException("A security policy needs at least one table.", nameof(tables));
        Exec(migrationBuilder, $"CREATE SCHEMA [{Schema}] AUTHORIZATION [dbo];");
        Exec(migrationBuilder, FunctionSql);
        Exec(migrationBuilder, $"CREATE SECURITY POLICY [{Schema}].[{Policy}]\n    "
            + string.Join(",\n    ", tables.SelectMany(PredicatesOn))
            + "\n    WITH (STATE = ON, SCHEMABINDING = ON);");
    }

    /// <summary>Drops the policy, the function and the schema (the Down of <see cref="CreatePolicy"/>).</summary>
    public static void DropPolicy(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        Exec(migrationBuilder, $"DROP SECURITY POLICY [{Schema}].[{Policy}];");
        Exec(migrationBuilder, $"DROP FUNCTION [{Schema}].[{PredicateFunction}];");
        Exec(migrationBuilder, $"DROP SCHEMA [{Schema}];");
    }

    /// <summary>Puts a new tenant-owned table (it has a non-null or nullable <c>TenantId</c> column) under the policy.</summary>
    public static void AddTable(MigrationBuilder migrationBuilder, string table)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        Exec(migrationBuilder, $"ALTER SECURITY POLICY [{Schema}].[{Policy}]\n    " + string.Join(",\n    ", PredicatesOn(table)) + ";");
    }

    /// <summary>Takes a table off the policy (the Down of <see cref="AddTable"/>, or before the table is dropped).</summary>
    public static void RemoveTable(MigrationBuilder migrationBuilder, string table)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        var target = TableName(table);
        var drops = BlockOperations.Select(op => $"DROP BLOCK PREDICATE ON {target} {op}").Prepend($"DROP FILTER PREDICATE ON {target}");
        Exec(migrationBuilder, $"ALTER SECURITY POLICY [{Schema}].[{Policy}]\n    " + string.Join(",\n    ", drops) + ";");
    }

    // Mirrors the EF Core query filters and TenantSaveGuard: every row in a cross-tenant scope, else the current tenant's rows.
    // A NULL TenantId (a fleet-level audit entry) never equals the session's tenant, so it is reached only cross-tenant.
    private static string FunctionSql => $"""
        CREATE FUNCTION [{Schema}].[{PredicateFunction}](@TenantId uniqueidentifier)
        RETURNS TABLE
        WITH SCHEMABINDING
        AS
        RETURN SELECT 1 AS [Allowed]
            WHERE CAST(SESSION_CONTEXT(N'{TenantSessionContext.CrossTenantKey}') AS bit) = 1
               OR @TenantId = CAST(SESSION_CONTEXT(N'{TenantSessionContext.TenantIdKey}') AS uniqueidentifier);
        """;

    private static IEnumerable<string> PredicatesOn(string table)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        var predicate = $"[{Schema}].[{PredicateFunction}]([TenantId])";
        var target = TableName(table);
        yield return $"ADD FILTER PREDICATE {predicate} ON {target}";
        foreach (var op in BlockOperations)
            yield return $"ADD BLOCK PREDICATE {predicate} ON {target} {op}";
    }

    private static string TableName(string table) => $"[{TableSchema}].[{table.Replace("]", "]]", StringComparison.Ordinal)}]";

    private static void Exec(MigrationBuilder migrationBuilder, string sql) =>
        migrationBuilder.Sql($"EXEC(N'{sql.Replace("'", "''", StringComparison.Ordinal)}');");
}
