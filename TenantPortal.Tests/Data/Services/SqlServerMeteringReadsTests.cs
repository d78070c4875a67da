using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TenantPortal.Data;
using TenantPortal.Data.Migrations.SqlServer;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Tests.Data.Services;

/// <summary>
/// On SQL Server the metering reads (quota checks, invoices, the quota totals) run in SNAPSHOT transactions, which the
/// migrations allow; the data layer registers SQL Server's commit barrier. Checked without a server.
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

    [Fact]
    public void AddDataServices_RegistersTheSqlServerBarrier_TheOneItsContextsUse()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = Path.GetTempPath() });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "SqlServer",
            ["ConnectionStrings:Portal"] = "Server=offline.invalid;Database=TenantPortal;Integrated Security=True;TrustServerCertificate=True",
        });
        builder.Services.AddLogging();
        builder.AddDataServices();
        using var services = builder.Services.BuildServiceProvider();
        using var scope = services.CreateScope();

        var barrier = scope.ServiceProvider.GetRequiredService<IUsageCommitBarrier>();
        using var db = scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();

        Assert.IsType<SqlServerUsageCommitBarrier>(barrier);
        Assert.IsType(barrier.GetType(), UsageCommitBarriers.For(db.Database));
        Assert.IsType<SqlServerUsageEventStore>(scope.ServiceProvider.GetRequiredService<IUsageEventStore>());
    }
}
