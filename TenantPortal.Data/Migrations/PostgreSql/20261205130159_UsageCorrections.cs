using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TenantPortal.Data.Migrations.PostgreSql
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
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    CorrectionId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    RequestHash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    CreatedByUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    CreatedByApiKeyId = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RevertedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RevertedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    RevertReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    ConcurrencyStamp = table.Column<Guid>(type: "uuid", nullable: false)
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
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CorrectionRowId = table.Column<long>(type: "bigint", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    UsageEventId = table.Column<long>(type: "bigint", nullable: false),
                    ClientEventId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Action = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Metric = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Timestamp = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    QuantityBefore = table.Column<decimal>(type: "numeric(20,6)", precision: 20, scale: 6, nullable: false),
                    QuantityAfter = table.Column<decimal>(type: "numeric(20,6)", precision: 20, scale: 6, nullable: false),
                    Delta = table.Column<decimal>(type: "numeric(20,6)", precision: 20, scale: 6, nullable: false)
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
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
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
            Migrations.UsageCorrectionRowLevelSecurity.AddPostgreSql(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            Migrations.UsageCorrectionRowLevelSecurity.RemovePostgreSql(migrationBuilder);
            migrationBuilder.DropTable(
                name: "UsageCorrectionLines");

            migrationBuilder.DropTable(
                name: "UsageEventLocks");

            migrationBuilder.DropTable(
                name: "UsageCorrections");
        }
    }
}
