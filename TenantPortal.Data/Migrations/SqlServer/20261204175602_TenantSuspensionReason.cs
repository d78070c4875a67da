using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantPortal.Data.Migrations.SqlServer
{
    /// <summary>
    /// Who suspended a tenant becomes explicit (<c>Tenants.SuspensionReason</c>: Operator, TrialExpired, NonPayment) instead
    /// of being inferred from the dunning and trial dates. Existing suspended rows are backfilled by that inference, made
    /// sharper with the suspension time: unpaid since a date = non-payment; a trial without a subscription that had ended
    /// when the tenant was suspended = trial expired; anything else = an operator.
    /// </summary>
    public partial class TenantSuspensionReason : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SuspensionReason",
                table: "Tenants",
                type: "nvarchar(20)",
                maxLength: 20,
                nullable: true);

            // Dates are UTC throughout, so they compare correctly on both providers.
            migrationBuilder.Sql(@"UPDATE Tenants SET SuspensionReason = CASE
    WHEN PastDueSince IS NOT NULL THEN 'NonPayment'
    WHEN TrialEndsAt IS NOT NULL AND SubscriptionStartedAt IS NULL AND (SuspendedAt IS NULL OR TrialEndsAt <= SuspendedAt) THEN 'TrialExpired'
    ELSE 'Operator' END
WHERE Status = 'Suspended';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SuspensionReason",
                table: "Tenants");
        }
    }
}
