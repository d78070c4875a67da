using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantPortal.Data.Migrations.SqlServer
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
                type: "bit",
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
