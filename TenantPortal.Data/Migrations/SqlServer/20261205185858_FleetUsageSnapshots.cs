using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantPortal.Data.Migrations.SqlServer
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
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    PeriodStart = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Members = table.Column<int>(type: "int", nullable: false),
                    ApiCallsPercent = table.Column<double>(type: "float", nullable: true),
                    StoragePercent = table.Column<double>(type: "float", nullable: true),
                    GpuHoursPercent = table.Column<double>(type: "float", nullable: true),
                    MaxPercent = table.Column<double>(type: "float", nullable: true),
                    LevelPendingAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    RefreshedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
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
