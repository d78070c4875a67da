using System.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using TenantPortal.Data;
using TenantPortal.Data.Migrations.SqlServer;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Tests.Data.Services;

/// <summary>
/// On SQL Server the metering reads (quota checks, invoices, the quota totals) run in SNAPSHOT transactions, which the
/// migrations allow. Checked without a server.
/// </summary>
public class SqlServerMeteringReadsTests
{
    [Fact]
    public void MeteringReads_RunInSnapshotTransactions_OnSqlServer()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);

        Assert.Equal(IsolationLevel.Snapshot, MeteringReads.OneSnapshotIsolation(db.Database));
        Assert.Equal(IsolationLevel.Snapshot, MeteringReads.OneStatementIsolation(db.Database));
        Assert.Equal(IsolationLevel.Snapshot, MeteringReads.PastCommitBarrierIsolation(db.Database));
    }

    [Fact]
    public void IdempotentScript_AllowsSnapshotIsolation_OutsideAnyTransaction()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        var at = script.IndexOf(UsageReadsSnapshotIsolation.EnableSql, StringComparison.Ordinal);
        Assert.True(at >= 0, "the script must switch ALLOW_SNAPSHOT_ISOLATION on");
        var before = script[..at];
        Assert.True(before.LastIndexOf("COMMIT;", StringComparison.Ordinal) > before.LastIndexOf("BEGIN TRANSACTION;", StringComparison.Ordinal),
            "ALTER DATABASE can't run inside a transaction");
    }
}
