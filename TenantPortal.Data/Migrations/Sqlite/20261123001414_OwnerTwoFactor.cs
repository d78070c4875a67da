using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantPortal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OwnerTwoFactor : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "RequireOwnerTwoFactor",
                table: "Tenants",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RequireOwnerTwoFactor",
                table: "Tenants");
        }
    }
}
