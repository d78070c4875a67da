using Microsoft.EntityFrameworkCore.Migrations;
using TenantPortal.Data.Configurations;

namespace TenantPortal.Data.Migrations;

/// <summary>
/// Row-level security for the tenant-owned <c>EntitlementOverrides</c> table, as the migration that creates it applies it
/// (after CreateTable in Up; before DropTable in Down): SQL Server adds the table to the <c>security.tenant_isolation</c>
/// policy, PostgreSQL enables and forces RLS with the <c>tenant_isolation</c> policy. Kept out of the migration files so
/// that a regenerated migration can call it again.
/// </summary>
public static class EntitlementOverridesRowLevelSecurity
{
    /// <summary>SQL Server: the table joins the security policy (FILTER and BLOCK predicates).</summary>
    public static void AddSqlServer(MigrationBuilder migrationBuilder) => RowLevelSecurity.AddTable(migrationBuilder, EntitlementOverrideConfiguration.Table);

    /// <summary>SQL Server: the Down of <see cref="AddSqlServer"/>.</summary>
    public static void RemoveSqlServer(MigrationBuilder migrationBuilder) => RowLevelSecurity.RemoveTable(migrationBuilder, EntitlementOverrideConfiguration.Table);

    /// <summary>PostgreSQL: row-level security enabled, forced, and the tenant policy.</summary>
    public static void AddPostgreSql(MigrationBuilder migrationBuilder) => PostgreSqlRowLevelSecurity.AddTable(migrationBuilder, EntitlementOverrideConfiguration.Table);

    /// <summary>PostgreSQL: the Down of <see cref="AddPostgreSql"/>.</summary>
    public static void RemovePostgreSql(MigrationBuilder migrationBuilder) => PostgreSqlRowLevelSecurity.RemoveTable(migrationBuilder, EntitlementOverrideConfiguration.Table);
}
