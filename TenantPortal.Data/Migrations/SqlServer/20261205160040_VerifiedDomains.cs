using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantPortal.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class VerifiedDomains : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "TenantDomains",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Name = table.Column<string>(type: "nvarchar(253)", maxLength: 253, nullable: false),
                    VerificationToken = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    VerifiedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LastCheckedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    FailedChecks = table.Column<int>(type: "int", nullable: false),
                    Affiliation = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    AffiliationRole = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TenantDomains", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TenantDomains_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TenantDomains_Name_Verified",
                table: "TenantDomains",
                column: "Name",
                unique: true,
                filter: "[VerifiedAt] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_TenantDomains_TenantId_Name",
                table: "TenantDomains",
                columns: new[] { "TenantId", "Name" },
                unique: true);

            Migrations.RowLevelSecurity.AddTable(migrationBuilder, "TenantDomains");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            Migrations.RowLevelSecurity.RemoveTable(migrationBuilder, "TenantDomains");

            migrationBuilder.DropTable(
                name: "TenantDomains");
        }
    }
}
