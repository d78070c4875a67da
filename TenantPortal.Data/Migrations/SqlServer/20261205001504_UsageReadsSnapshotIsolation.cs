using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantPortal.Data.Migrations.SqlServer
{
    /// <summary>
    /// Lets the metering reads run in SNAPSHOT transactions (<see cref="Services.Metering.MeteringReads"/>): a quota check
    /// or an invoice sums the rollups and the events past the watermark as of one moment, neither waiting for a rollup's
    /// locks nor seeing half of it. Other transactions keep their isolation level; every write now also keeps a row
    /// version (tempdb's version store) while a snapshot may need it. No model change. <c>ALTER DATABASE</c> can't run
    /// inside a transaction, and needs the deployment login's ALTER right on the database (not the portal's).
    /// </summary>
    public partial class UsageReadsSnapshotIsolation : Migration
    {
        /// <summary>The statement that switches snapshot isolation on.</summary>
        public const string EnableSql = "ALTER DATABASE CURRENT SET ALLOW_SNAPSHOT_ISOLATION ON;";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(EnableSql, suppressTransaction: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER DATABASE CURRENT SET ALLOW_SNAPSHOT_ISOLATION OFF;", suppressTransaction: true);
        }
    }
}
