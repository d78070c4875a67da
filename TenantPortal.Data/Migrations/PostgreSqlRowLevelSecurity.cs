using Microsoft.EntityFrameworkCore.Migrations;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Data.Migrations;

/// <summary>
/// PostgreSQL row-level security for the tenant-owned tables, as migration steps: per table <c>ENABLE</c> and
/// <c>FORCE ROW LEVEL SECURITY</c> (FORCE holds the table's owner to the policy too; only a superuser or a BYPASSRLS role
/// passes it) and the policy <see cref="Policy"/> for every command, whose USING and WITH CHECK read the per-transaction
/// settings of <see cref="PostgreSqlTenantSetting"/>. A migration that adds a tenant-owned table calls <see cref="AddTable"/>
/// for it (and <see cref="RemoveTable"/> in its Down).
/// </summary>
public static class PostgreSqlRowLevelSecurity
{
    /// <summary>The policy's name on each table.</summary>
    public const string Policy = "tenant_isolation";

    /// <summary>
    /// The policy's condition, the EF Core query filters' and <see cref="TenantSaveGuard"/>'s rule: every row in a
    /// cross-tenant scope, else the current tenant's rows. A missing setting (<c>current_setting(…, true)</c> is NULL) or an
    /// empty one (what a setting reverts to after the transaction that set it) matches no row, and a NULL TenantId (a
    /// fleet-level audit entry) never equals the tenant, so it is reached only cross-tenant.
    /// </summary>
    public const string Condition =
        $"current_setting('{PostgreSqlTenantSetting.CrossTenantSetting}', true) = 'on' "
        + $"OR \"TenantId\" = NULLIF(current_setting('{PostgreSqlTenantSetting.TenantIdSetting}', true), '')::uuid";

    /// <summary>Puts each of <paramref name="tables"/> (each has a non-null or nullable <c>TenantId</c> column) under row-level security.</summary>
    public static void AddTables(MigrationBuilder migrationBuilder, params string[] tables)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        if (tables.Length == 0)
            throw new ArgumentException("Name at least one table.", nameof(tables));
        foreach (var table in tables)
            AddTable(migrationBuilder, table);
    }

    /// <summary>Puts a tenant-owned table under row-level security: enabled, forced, and the policy for all commands.</summary>
    public static void AddTable(MigrationBuilder migrationBuilder, string table)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        var target = TableName(table);
        migrationBuilder.Sql($"ALTER TABLE {target} ENABLE ROW LEVEL SECURITY;");
        migrationBuilder.Sql($"ALTER TABLE {target} FORCE ROW LEVEL SECURITY;");
        migrationBuilder.Sql($"CREATE POLICY {Policy} ON {target} AS PERMISSIVE FOR ALL\n    USING ({Condition})\n    WITH CHECK ({Condition});");
    }

    /// <summary>Takes a table off row-level security (the Down of <see cref="AddTable"/>, or before the table is dropped).</summary>
    public static void RemoveTable(MigrationBuilder migrationBuilder, string table)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        var target = TableName(table);
        migrationBuilder.Sql($"DROP POLICY {Policy} ON {target};");
        migrationBuilder.Sql($"ALTER TABLE {target} NO FORCE ROW LEVEL SECURITY;");
        migrationBuilder.Sql($"ALTER TABLE {target} DISABLE ROW LEVEL SECURITY;");
    }

    private static string TableName(string table)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        return $"\"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
    }
}
