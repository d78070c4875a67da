using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantPortal.Data.Migrations.SqlServer
{
    /// <summary>
    /// Row-level security's predicate without a disjunction (<see cref="Migrations.RowLevelSecurity.PredicateFunctionSql"/>): the
    /// tenant's rows and the cross-tenant case as two branches of a UNION ALL, so that a tenant's plan seeks the tenant index.
    /// Every predicate of the policy moves to the new function; the rule is unchanged. No model change.
    /// </summary>
    public partial class SqlServerSeekableTenantPredicate : Migration
    {
        // Every table under the policy at this migration (those of RowLevelSecurity; no later migration added one).
        private static readonly string[] Tables =
        [
            "ApiKeys", "ApiRefusalDays", "AuditEntries", "Invitations", "InvoiceLines", "Invoices",
            "PlanSegments", "QuotaOverrides", "TenantMembers", "UsageEvents", "UsageRollups",
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            Migrations.RowLevelSecurity.UseSeekablePredicate(migrationBuilder, Tables);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            Migrations.RowLevelSecurity.UseFirstPredicate(migrationBuilder, Tables);
        }
    }
}
