using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantPortal.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class UsageCorrections : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "UsageCorrections",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    CorrectionId = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false, collation: "Latin1_General_100_BIN2"),
                    Reason = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    RequestHash = table.Column<string>(type: "nchar(64)", fixedLength: true, maxLength: 64, nullable: false),
                    CreatedByUserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    CreatedByApiKeyId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    CreatedBy = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    RevertedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    RevertedBy = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    RevertReason = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    ConcurrencyStamp = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsageCorrections", x => x.Id);
                    table.ForeignKey(
                        name: "FK_UsageCorrections_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "UsageCorrectionLines",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    CorrectionRowId = table.Column<long>(type: "bigint", nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    UsageEventId = table.Column<long>(type: "bigint", nullable: false),
                    ClientEventId = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false, collation: "Latin1_General_100_BIN2"),
                    Action = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Metric = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Timestamp = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    QuantityBefore = table.Column<decimal>(type: "decimal(20,6)", precision: 20, scale: 6, nullable: false),
                    QuantityAfter = table.Column<decimal>(type: "decimal(20,6)", precision: 20, scale: 6, nullable: false),
                    Delta = table.Column<decimal>(type: "decimal(20,6)", precision: 20, scale: 6, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsageCorrectionLines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_UsageCorrectionLines_UsageCorrections_CorrectionRowId",
                        column: x => x.CorrectionRowId,
                        principalTable: "UsageCorrections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "UsageEventLocks",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    UsageEventId = table.Column<long>(type: "bigint", nullable: false),
                    CorrectionRowId = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsageEventLocks", x => new { x.TenantId, x.UsageEventId });
                    table.ForeignKey(
                        name: "FK_UsageEventLocks_UsageCorrections_CorrectionRowId",
                        column: x => x.CorrectionRowId,
                        principalTable: "UsageCorrections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_UsageCorrectionLines_CorrectionRowId",
                table: "UsageCorrectionLines",
                column: "CorrectionRowId");

            migrationBuilder.CreateIndex(
                name: "IX_UsageCorrectionLines_TenantId_UsageEventId",
                table: "UsageCorrectionLines",
                columns: new[] { "TenantId", "UsageEventId" });

            migrationBuilder.CreateIndex(
                name: "IX_UsageCorrections_TenantId_CorrectionId",
                table: "UsageCorrections",
                columns: new[] { "TenantId", "CorrectionId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_UsageEventLocks_CorrectionRowId",
                table: "UsageEventLocks",
                column: "CorrectionRowId");
            // Hand-written (kept in Migrations/UsageCorrectionRowLevelSecurity.cs): the tables under row-level security.
            Migrations.UsageCorrectionRowLevelSecurity.AddSqlServer(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            Migrations.UsageCorrectionRowLevelSecurity.RemoveSqlServer(migrationBuilder);
            migrationBuilder.DropTable(
                name: "UsageCorrectionLines");

            migrationBuilder.DropTable(
                name: "UsageEventLocks");

            migrationBuilder.DropTable(
                name: "UsageCorrections");
        }
    }
}
