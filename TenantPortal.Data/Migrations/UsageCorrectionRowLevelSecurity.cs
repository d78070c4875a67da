using Microsoft.EntityFrameworkCore.Migrations;

namespace TenantPortal.Data.Migrations;

/// <summary>
/// Row-level security for the usage corrections' tables (all tenant-owned): the migration that creates them calls
/// <see cref="AddPostgreSql"/> (PostgreSQL) or <see cref="AddSqlServer"/> (SQL Server) after creating them, and the
/// matching Remove in its Down. Kept here, outside the generated migration, so it is re-applied when migrations are
/// regenerated.
/// </summary>
public static class UsageCorrectionRowLevelSecurity
{
    /// <summary>The tables: corrections, their lines, and the event locks.</summary>
    public static readonly string[] Tables = ["UsageCorrections", "UsageCorrectionLines", "UsageEventLocks"];

    /// <summary>PostgreSQL: enabled, forced, and the tenant policy on each table.</summary>
    public static void AddPostgreSql(MigrationBuilder migrationBuilder) => PostgreSqlRowLevelSecurity.AddTables(migrationBuilder, Tables);

    /// <summary>The Down of <see cref="AddPostgreSql"/>.</summary>
    public static void RemovePostgreSql(MigrationBuilder migrationBuilder)
    {
        foreach (var table in Tables)
            PostgreSqlRowLevelSecurity.RemoveTable(migrationBuilder, table);
    }

    /// <summary>SQL Server: each table under the tenant security policy (filter and block predicates).</summary>
    public static void AddSqlServer(MigrationBuilder migrationBuilder)
    {
        foreach (var table in Tables)
            RowLevelSecurity.AddTable(migrationBuilder, table);
    }

    /// <summary>The Down of <see cref="AddSqlServer"/>.</summary>
    public static void RemoveSqlServer(MigrationBuilder migrationBuilder)
    {
        foreach (var table in Tables)
            RowLevelSecurity.RemoveTable(migrationBuilder, table);
    }
}
