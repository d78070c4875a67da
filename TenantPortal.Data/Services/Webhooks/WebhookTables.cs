using Microsoft.EntityFrameworkCore.Migrations;
using TenantPortal.Data.Configurations;

namespace TenantPortal.Data.Services.Webhooks;

/// <summary>
/// The webhook tables, all tenant-owned: the migration <c>TenantWebhooks</c> puts each under row-level security (SQL Server
/// and PostgreSQL) with these calls, so that a regenerated migration can do the same with one line each way.
/// </summary>
public static class WebhookTables
{
    /// <summary>The tables, in creation order.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        WebhookEndpointConfiguration.Table, WebhookEventConfiguration.Table, WebhookDeliveryConfiguration.Table, WebhookAttemptConfiguration.Table,
    ];

    /// <summary>Adds the provider's policy to every table (<c>Migrations.RowLevelSecurity.AddTable</c> or <c>Migrations.PostgreSqlRowLevelSecurity.AddTable</c>).</summary>
    public static void AddRowLevelSecurity(MigrationBuilder migrationBuilder, Action<MigrationBuilder, string> addTable)
    {
        foreach (var table in All)
            addTable(migrationBuilder, table);
    }

    /// <summary>Removes the provider's policy from every table, in reverse order.</summary>
    public static void RemoveRowLevelSecurity(MigrationBuilder migrationBuilder, Action<MigrationBuilder, string> removeTable)
    {
        foreach (var table in All.Reverse())
            removeTable(migrationBuilder, table);
    }
}
