using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantPortal.Data.Migrations.PostgreSql
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
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    PeriodStart = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Members = table.Column<int>(type: "integer", nullable: false),
                    ApiCallsPercent = table.Column<double>(type: "double precision", nullable: true),
                    StoragePercent = table.Column<double>(type: "double precision", nullable: true),
                    GpuHoursPercent = table.Column<double>(type: "double precision", nullable: true),
                    MaxPercent = table.Column<double>(type: "double precision", nullable: true),
                    LevelPendingAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RefreshedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
                values: new object[] { "fleet-snapshot", 0L, new DateTimeOffset(new DateTime(1970, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)) });

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
