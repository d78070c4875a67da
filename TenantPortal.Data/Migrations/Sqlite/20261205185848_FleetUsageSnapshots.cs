using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantPortal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FleetUsageSnapshots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "FleetUsageSnapshots",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PeriodStart = table.Column<long>(type: "INTEGER", nullable: false),
                    Members = table.Column<int>(type: "INTEGER", nullable: false),
                    ApiCallsPercent = table.Column<double>(type: "REAL", nullable: true),
                    StoragePercent = table.Column<double>(type: "REAL", nullable: true),
                    GpuHoursPercent = table.Column<double>(type: "REAL", nullable: true),
                    MaxPercent = table.Column<double>(type: "REAL", nullable: true),
                    LevelPendingAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RefreshedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FleetUsageSnapshots", x => x.TenantId);
                    table.ForeignKey(
                        name: "FK_FleetUsageSnapshots_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "MeteringWatermarks",
                columns: new[] { "Name", "LastEventId", "UpdatedAt" },
                values: new object[] { "fleet-snapshot", 0L, 621355968000000000L });

            migrationBuilder.CreateIndex(
                name: "IX_FleetUsageSnapshots_MaxPercent",
                table: "FleetUsageSnapshots",
                column: "MaxPercent");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "FleetUsageSnapshots");

            migrationBuilder.DeleteData(
                table: "MeteringWatermarks",
                keyColumn: "Name",
                keyValue: "fleet-snapshot");
        }
    }
}
