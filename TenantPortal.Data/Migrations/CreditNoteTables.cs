using Microsoft.EntityFrameworkCore.Migrations;

namespace TenantPortal.Data.Migrations;

/// <summary>
/// The credit-note tables' row-level security, applied by migration <c>CreditNotes</c> on PostgreSQL and SQL Server (SQLite
/// has none): kept here so that a regenerated migration calls the same two steps.
/// </summary>
public static class CreditNoteTables
{
    /// <summary>The tenant-owned tables the migration adds.</summary>
    public static readonly string[] Names = ["CreditNotes", "CreditNoteLines"];

    /// <summary>PostgreSQL: puts the tables under the tenant policy (Up, after the tables are created).</summary>
    public static void AddPostgreSqlRowLevelSecurity(MigrationBuilder migrationBuilder) =>
        PostgreSqlRowLevelSecurity.AddTables(migrationBuilder, Names);

    /// <summary>PostgreSQL: takes them off (Down, before the tables are dropped).</summary>
    public static void RemovePostgreSqlRowLevelSecurity(MigrationBuilder migrationBuilder)
    {
        foreach (var table in Names)
            PostgreSqlRowLevelSecurity.RemoveTable(migrationBuilder, table);
    }

    /// <summary>SQL Server: adds the tables to the security policy (Up, after the tables are created).</summary>
    public static void AddSqlServerRowLevelSecurity(MigrationBuilder migrationBuilder)
    {
        foreach (var table in Names)
            RowLevelSecurity.AddTable(migrationBuilder, table);
    }

    /// <summary>SQL Server: takes them off the policy (Down, before the tables are dropped).</summary>
    public static void RemoveSqlServerRowLevelSecurity(MigrationBuilder migrationBuilder)
    {
        foreach (var table in Names)
            RowLevelSecurity.RemoveTable(migrationBuilder, table);
    }
}
