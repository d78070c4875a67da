using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantPortal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Billing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_InvoiceLines_TenantId",
                table: "InvoiceLines");

            migrationBuilder.AddColumn<long>(
                name: "PendingChangeAt",
                table: "Tenants",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PendingCycle",
                table: "Tenants",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PendingTier",
                table: "Tenants",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "StripeStateAt",
                table: "Tenants",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "TrialReminderSentAt",
                table: "Tenants",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "StripeStateAt",
                table: "Invoices",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Position",
                table: "InvoiceLines",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "UsagePeriodStart",
                table: "InvoiceLines",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PlanSegments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Tier = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Cycle = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Charged = table.Column<bool>(type: "INTEGER", nullable: false),
                    StartsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndsAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PlanSegments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PlanSegments_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Tenants_StripeSubscriptionId",
                table: "Tenants",
                column: "StripeSubscriptionId",
                unique: true,
                filter: "[StripeSubscriptionId] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_InvoiceLines_TenantId_UsagePeriodStart",
                table: "InvoiceLines",
                columns: new[] { "TenantId", "UsagePeriodStart" });

            migrationBuilder.CreateIndex(
                name: "IX_PlanSegments_TenantId_StartsAt",
                table: "PlanSegments",
                columns: new[] { "TenantId", "StartsAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PlanSegments");

            migrationBuilder.DropIndex(
                name: "IX_Tenants_StripeSubscriptionId",
                table: "Tenants");

            migrationBuilder.DropIndex(
                name: "IX_InvoiceLines_TenantId_UsagePeriodStart",
                table: "InvoiceLines");

            migrationBuilder.DropColumn(
                name: "PendingChangeAt",
                table: "Tenants");

            migrationBuilder.DropColumn(
                name: "PendingCycle",
                table: "Tenants");

            migrationBuilder.DropColumn(
                name: "PendingTier",
                table: "Tenants");

            migrationBuilder.DropColumn(
                name: "StripeStateAt",
                table: "Tenants");

            migrationBuilder.DropColumn(
                name: "TrialReminderSentAt",
                table: "Tenants");

            migrationBuilder.DropColumn(
                name: "StripeStateAt",
                table: "Invoices");

            migrationBuilder.DropColumn(
                name: "Position",
                table: "InvoiceLines");

            migrationBuilder.DropColumn(
                name: "UsagePeriodStart",
                table: "InvoiceLines");

            migrationBuilder.CreateIndex(
                name: "IX_InvoiceLines_TenantId",
                table: "InvoiceLines",
                column: "TenantId");
        }
    }
}
