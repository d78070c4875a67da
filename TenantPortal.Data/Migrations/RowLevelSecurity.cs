using Microsoft.EntityFrameworkCore.Migrations;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Data.Migrations;

/// <summary>
/// SQL Server row-level security for the tenant-owned tables, as migration steps: the predicate function
/// <c>security.fn_tenant_rows</c> (before migration <c>SqlServerSeekableTenantPredicate</c>, <c>security.fn_tenant_access</c>) over the session context (<see cref="TenantSessionContext"/>) and the security policy
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

    /// <summary>
    /// The inline, schema-bound predicate function the policy uses (since migration <c>SqlServerSeekableTenantPredicate</c>):
    /// the tenant's rows and the cross-tenant case as two branches of a UNION ALL (<see cref="PredicateFunctionSql"/>).
    /// </summary>
    public const string PredicateFunction = "fn_tenant_rows";

    /// <summary>
    /// The first predicate function (migration <c>RowLevelSecurity</c>): one disjunction, <c>cross-tenant = 1 OR TenantId = tenant</c>,
    /// for which SQL Server caches one plan serving both cases, so it can't seek the tenant index. Kept for that migration's
    /// Up and Down and for <see cref="UseSeekablePredicate"/>'s Down.
    /// </summary>
    public const string FirstPredicateFunction = "fn_tenant_access";

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
        Exec(migrationBuilder, FirstFunctionSql);
        Exec(migrationBuilder, $"CREATE SECURITY POLICY [{Schema}].[{Policy}]\n    "
            + string.Join(",\n    ", tables.SelectMany(t => PredicatesOn(t, FirstPredicateFunction, "ADD")))
            + "\n    WITH (STATE = ON, SCHEMABINDING = ON);");
    }

    /// <summary>Drops the policy, the function and the schema (the Down of <see cref="CreatePolicy"/>).</summary>
    public static void DropPolicy(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        Exec(migrationBuilder, $"DROP SECURITY POLICY [{Schema}].[{Policy}];");
        Exec(migrationBuilder, $"DROP FUNCTION [{Schema}].[{FirstPredicateFunction}];");
        Exec(migrationBuilder, $"DROP SCHEMA [{Schema}];");
    }

    /// <summary>
    /// Moves every predicate of the policy on <paramref name="tables"/> (all the tables under it) from
    /// <see cref="FirstPredicateFunction"/> to <see cref="PredicateFunction"/>, and drops the first function. A schema-bound
    /// function can't be altered while the policy references it: the new one is created beside it and each predicate altered.
    /// </summary>
    public static void UseSeekablePredicate(MigrationBuilder migrationBuilder, params string[] tables)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        Exec(migrationBuilder, PredicateFunctionSql);
        Exec(migrationBuilder, $"ALTER SECURITY POLICY [{Schema}].[{Policy}]\n    "
            + string.Join(",\n    ", tables.SelectMany(t => PredicatesOn(t, PredicateFunction, "ALTER"))) + ";");
        Exec(migrationBuilder, $"DROP FUNCTION [{Schema}].[{FirstPredicateFunction}];");
    }

    /// <summary>The Down of <see cref="UseSeekablePredicate"/>: back to <see cref="FirstPredicateFunction"/>.</summary>
    public static void UseFirstPredicate(MigrationBuilder migrationBuilder, params string[] tables)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        Exec(migrationBuilder, FirstFunctionSql);
        Exec(migrationBuilder, $"ALTER SECURITY POLICY [{Schema}].[{Policy}]\n    "
            + string.Join(",\n    ", tables.SelectMany(t => PredicatesOn(t, FirstPredicateFunction, "ALTER"))) + ";");
        Exec(migrationBuilder, $"DROP FUNCTION [{Schema}].[{PredicateFunction}];");
    }

    /// <summary>Puts a new tenant-owned table (it has a non-null or nullable <c>TenantId</c> column) under the policy.</summary>
    public static void AddTable(MigrationBuilder migrationBuilder, string table)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        Exec(migrationBuilder, $"ALTER SECURITY POLICY [{Schema}].[{Policy}]\n    " + string.Join(",\n    ", PredicatesOn(table, PredicateFunction, "ADD")) + ";");
    }

    /// <summary>Takes a table off the policy (the Down of <see cref="AddTable"/>, or before the table is dropped).</summary>
    public static void RemoveTable(MigrationBuilder migrationBuilder, string table)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        var target = TableName(table);
        var drops = BlockOperations.Select(op => $"DROP BLOCK PREDICATE ON {target} {op}").Prepend($"DROP FILTER PREDICATE ON {target}");
        Exec(migrationBuilder, $"ALTER SECURITY POLICY [{Schema}].[{Policy}]\n    " + string.Join(",\n    ", drops) + ";");
    }

    // The first form: mirrors the EF Core query filters and TenantSaveGuard in one disjunction.
    private static string FirstFunctionSql => $"""
        CREATE FUNCTION [{Schema}].[{FirstPredicateFunction}](@TenantId uniqueidentifier)
        RETURNS TABLE
        WITH SCHEMABINDING
        AS
        RETURN SELECT 1 AS [Allowed]
            WHERE CAST(SESSION_CONTEXT(N'{TenantSessionContext.CrossTenantKey}') AS bit) = 1
               OR @TenantId = CAST(SESSION_CONTEXT(N'{TenantSessionContext.TenantIdKey}') AS uniqueidentifier);
        """;

    /// <summary>
    /// The predicate function: the same rule as the EF Core query filters and <see cref="TenantSaveGuard"/> (every row in a
    /// cross-tenant scope, else the current tenant's rows; a NULL TenantId, a fleet-level audit entry, never equals the
    /// session's tenant, so it is reached only cross-tenant), written without a disjunction, as Microsoft advises for
    /// middle-tier apps whose predicate ORs a "see everything" case with the tenant's rows. The function is inlined into
    /// every query as a semi-join, and with one WHERE of the form <c>flag = 1 OR TenantId = tenant</c> the plan SQL Server
    /// caches must serve both cases, so it scans. As two branches of a UNION ALL each is a conjunction: the tenant branch is
    /// an equality of the column with a runtime constant, which seeks the tenant index, and the cross-tenant branch
    /// references no column, so it compiles to a start-up filter evaluated once per execution and skipped outside a
    /// cross-tenant scope. A row matched by both branches is still one row (a semi-join).
    /// </summary>
    public static string PredicateFunctionSql => $"""
        CREATE FUNCTION [{Schema}].[{PredicateFunction}](@TenantId uniqueidentifier)
        RETURNS TABLE
        WITH SCHEMABINDING
        AS
        RETURN
            SELECT 1 AS [Allowed]
                WHERE @TenantId = CAST(SESSION_CONTEXT(N'{TenantSessionContext.TenantIdKey}') AS uniqueidentifier)
            UNION ALL
            SELECT 1 AS [Allowed]
                WHERE CAST(SESSION_CONTEXT(N'{TenantSessionContext.CrossTenantKey}') AS bit) = 1;
        """;

    private static IEnumerable<string> PredicatesOn(string table, string function, string verb)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        var predicate = $"[{Schema}].[{function}]([TenantId])";
        var target = TableName(table);
        yield return $"{verb} FILTER PREDICATE {predicate} ON {target}";
        foreach (var op in BlockOperations)
            yield return $"{verb} BLOCK PREDICATE {predicate} ON {target} {op}";
    }

    private static string TableName(string table) => $"[{TableSchema}].[{table.Replace("]", "]]", StringComparison.Ordinal)}]";

    private static void Exec(MigrationBuilder migrationBuilder, string sql) =>
        migrationBuilder.Sql($"EXEC(N'{sql.Replace("'", "''", StringComparison.Ordinal)}');");
}
