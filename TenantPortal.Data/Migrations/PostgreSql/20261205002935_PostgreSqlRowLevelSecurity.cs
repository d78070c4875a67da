using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantPortal.Data.Migrations.PostgreSql
{
    /// <summary>
    /// Row-level security as defence in depth behind the EF Core query filters: every tenant-owned table gets ENABLE and
    /// FORCE ROW LEVEL SECURITY and a policy on the per-transaction settings that
    /// <see cref="Tenancy.PostgreSqlTenantSettingInterceptor"/> sets for each command. No model change. A later migration
    /// adding a tenant-owned table calls <see cref="Migrations.PostgreSqlRowLevelSecurity.AddTable"/>.
    /// </summary>
    public partial class PostgreSqlRowLevelSecurity : Migration
    {
        // The tables of the ITenantOwned entities and the audit log (its nullable TenantId: fleet entries only cross-tenant).
        private static readonly string[] Tables =
        [
            "ApiKeys", "ApiRefusalDays", "AuditEntries", "Invitations", "InvoiceLines", "Invoices",
            "PlanSegments", "QuotaOverrides", "TenantMembers", "UsageEvents", "UsageRollups",
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            Migrations.PostgreSqlRowLevelSecurity.AddTables(migrationBuilder, Tables);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Tables)
                Migrations.PostgreSqlRowLevelSecurity.RemoveTable(migrationBuilder, table);
        }
    }
}
