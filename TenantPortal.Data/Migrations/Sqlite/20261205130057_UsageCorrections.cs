using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantPortal.Data.Migrations.Sqlite
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CorrectionId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    RequestHash = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    CreatedByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    CreatedByApiKeyId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RevertedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RevertedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    RevertReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    ConcurrencyStamp = table.Column<Guid>(type: "TEXT", nullable: false)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CorrectionRowId = table.Column<long>(type: "INTEGER", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UsageEventId = table.Column<long>(type: "INTEGER", nullable: false),
                    ClientEventId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Metric = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Timestamp = table.Column<long>(type: "INTEGER", nullable: false),
                    QuantityBefore = table.Column<decimal>(type: "TEXT", precision: 20, scale: 6, nullable: false),
                    QuantityAfter = table.Column<decimal>(type: "TEXT", precision: 20, scale: 6, nullable: false),
                    Delta = table.Column<decimal>(type: "TEXT", precision: 20, scale: 6, nullable: false)
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
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UsageEventId = table.Column<long>(type: "INTEGER", nullable: false),
                    CorrectionRowId = table.Column<long>(type: "INTEGER", nullable: false)
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UsageCorrectionLines");

            migrationBuilder.DropTable(
                name: "UsageEventLocks");

            migrationBuilder.DropTable(
                name: "UsageCorrections");
        }
    }
}
