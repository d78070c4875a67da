using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TenantPortal.Data;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

/// <summary>
/// Which barrier and which isolation the metering reads use per provider: SQLite as it always read, PostgreSQL one
/// REPEATABLE READ snapshot for several statements and READ COMMITTED past the closed barrier (see MeteringReads).
/// </summary>
public class MeteringReadsIsolationTests
{
    [Fact]
    public void MeteringReads_OnPostgreSql_ShareOneSnapshot_AndReadPastTheBarrierStatementByStatement()
    {
        using var db = new PostgreSqlDesignTimeFactory().CreateDbContext([]);

        Assert.IsType<PostgreSqlUsageCommitBarrier>(UsageCommitBarriers.For(db.Database));
        Assert.False(UsageCommitBarriers.CommitsInIdOrder(db.Database));
        Assert.Equal(IsolationLevel.RepeatableRead, MeteringReads.OneSnapshotIsolation(db.Database));
        Assert.Null(MeteringReads.OneStatementIsolation(db.Database));
        Assert.Equal(IsolationLevel.ReadCommitted, MeteringReads.PastCommitBarrierIsolation(db.Database));
    }

    [Fact]
    public void MeteringReads_OnSqlite_ReadAsTheyAlwaysDid()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);

        Assert.IsType<SqliteUsageCommitBarrier>(UsageCommitBarriers.For(db.Database));
        Assert.True(UsageCommitBarriers.CommitsInIdOrder(db.Database));
        Assert.Null(MeteringReads.OneSnapshotIsolation(db.Database));
        Assert.Null(MeteringReads.OneStatementIsolation(db.Database));
        Assert.Null(MeteringReads.PastCommitBarrierIsolation(db.Database));
    }

    [Fact]
    public void AddDataServices_RegistersThePostgreSqlBarrier_TheOneItsContextsUse()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = Path.GetTempPath() });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "PostgreSql",
            ["ConnectionStrings:Portal"] = TestServers.PostgreSql + ";Database=never_opened",
        });
        builder.Services.AddLogging();
        builder.AddDataServices();
        using var services = builder.Services.BuildServiceProvider();
        using var scope = services.CreateScope();

        var barrier = scope.ServiceProvider.GetRequiredService<IUsageCommitBarrier>();
        using var db = scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();

        Assert.IsType<PostgreSqlUsageCommitBarrier>(barrier);
        Assert.IsType(barrier.GetType(), UsageCommitBarriers.For(db.Database));
    }
}
