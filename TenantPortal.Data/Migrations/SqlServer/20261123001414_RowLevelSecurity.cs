using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantPortal.Data.Migrations.SqlServer
{
    /// <summary>
    /// Row-level security as defence in depth behind the EF Core query filters: every tenant-owned table gets a filter and
    /// block predicates on the session context that <see cref="Tenancy.TenantSessionContextInterceptor"/> sets per command.
    /// No model change. A later migration adding a tenant-owned table calls <see cref="RowLevelSecurity.AddTable"/>.
    /// </summary>
    public partial class RowLevelSecurity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            Migrations.RowLevelSecurity.CreatePolicy(migrationBuilder,
                "ApiKeys", "ApiRefusalDays", "AuditEntries", "Invitations", "InvoiceLines", "Invoices",
                "PlanSegments", "QuotaOverrides", "TenantMembers", "UsageEvents", "UsageRollups");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            Migrations.RowLevelSecurity.DropPolicy(migrationBuilder);
        }
    }
}
