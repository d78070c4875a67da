using Microsoft.EntityFrameworkCore.Migrations;

namespace TenantPortal.Data.Migrations;

/// <summary>
/// The SCIM tables under row-level security (SQL Server's policy, PostgreSQL's policies): the one place their
/// migrations add and remove them, so a regenerated migration re-applies it with one call per provider.
/// </summary>
public static class ScimRowLevelSecurity
{
    /// <summary>The tenant-owned tables SCIM provisioning adds.</summary>
    public static readonly IReadOnlyList<string> Tables = ["ScimTokens", "ScimGroups", "ScimGroupMembers", "ScimGroupRoleMappings"];

    /// <summary>Puts the tables under SQL Server's policy (after they are created).</summary>
    public static void AddSqlServer(MigrationBuilder migrationBuilder)
    {
        foreach (var table in Tables)
            RowLevelSecurity.AddTable(migrationBuilder, table);
    }

    /// <summary>Takes the tables off SQL Server's policy (before they are dropped).</summary>
    public static void RemoveSqlServer(MigrationBuilder migrationBuilder)
    {
        foreach (var table in Tables.Reverse())
            RowLevelSecurity.RemoveTable(migrationBuilder, table);
    }

    /// <summary>Puts the tables under PostgreSQL's policies (after they are created).</summary>
    public static void AddPostgreSql(MigrationBuilder migrationBuilder)
    {
        foreach (var table in Tables)
            PostgreSqlRowLevelSecurity.AddTable(migrationBuilder, table);
    }

    /// <summary>Takes the tables off PostgreSQL's policies (before they are dropped).</summary>
    public static void RemovePostgreSql(MigrationBuilder migrationBuilder)
    {
        foreach (var table in Tables.Reverse())
            PostgreSqlRowLevelSecurity.RemoveTable(migrationBuilder, table);
    }
}
