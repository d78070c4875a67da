using Microsoft.EntityFrameworkCore.Migrations;

namespace TenantPortal.Data.Migrations;

/// <summary>
/// The prepaid-credit tables under row-level security: the steps the credits migration adds per provider (PostgreSQL's
/// policy through <see cref="PostgreSqlRowLevelSecurity"/>, SQL Server's security policy through <see cref="RowLevelSecurity"/>).
/// Kept apart from the generated migration so that it can be re-applied when migrations are regenerated.
/// </summary>
public static class CreditsRowLevelSecurity
{
    /// <summary>The tenant-owned tables of prepaid credits.</summary>
    public static readonly string[] Tables = ["CreditAccounts", "CreditConsumptions", "CreditGrants"];

    /// <summary>PostgreSQL: ENABLE and FORCE row-level security and the tenant policy on each table (the migration's Up).</summary>
    public static void AddPostgreSql(MigrationBuilder migrationBuilder) => PostgreSqlRowLevelSecurity.AddTables(migrationBuilder, Tables);

    /// <summary>PostgreSQL: the Down of <see cref="AddPostgreSql"/> (before the tables are dropped).</summary>
    public static void RemovePostgreSql(MigrationBuilder migrationBuilder)
    {
        foreach (var table in Tables)
            PostgreSqlRowLevelSecurity.RemoveTable(migrationBuilder, table);
    }

    /// <summary>SQL Server: the filter and block predicates of the tenant policy on each table (the migration's Up).</summary>
    public static void AddSqlServer(MigrationBuilder migrationBuilder)
    {
        foreach (var table in Tables)
            RowLevelSecurity.AddTable(migrationBuilder, table);
    }

    /// <summary>SQL Server: the Down of <see cref="AddSqlServer"/> (before the tables are dropped).</summary>
    public static void RemoveSqlServer(MigrationBuilder migrationBuilder)
    {
        foreach (var table in Tables)
            RowLevelSecurity.RemoveTable(migrationBuilder, table);
    }
}
