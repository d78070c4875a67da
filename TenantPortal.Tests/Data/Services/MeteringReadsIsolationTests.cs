using System.Data;
using TenantPortal.Data;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Tests.Data.Services;

/// <summary>
/// Which isolation the metering reads use per provider: SQLite as it always read, PostgreSQL one REPEATABLE READ
/// snapshot for several statements and READ COMMITTED past the closed barrier (see MeteringReads).
/// </summary>
public class MeteringReadsIsolationTests
{
    [Fact]
    public void MeteringReads_OnPostgreSql_ShareOneSnapshot_AndReadPastTheBarrierStatementByStatement()
    {
        using var db = new PostgreSqlDesignTimeFactory().CreateDbContext([]);

        Assert.Equal(IsolationLevel.RepeatableRead, MeteringReads.OneSnapshotIsolation(db.Database));
        Assert.Null(MeteringReads.OneStatementIsolation(db.Database));
        Assert.Equal(IsolationLevel.ReadCommitted, MeteringReads.PastCommitBarrierIsolation(db.Database));
    }

    [Fact]
    public void MeteringReads_OnSqlite_ReadAsTheyAlwaysDid()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);

        Assert.Null(MeteringReads.OneSnapshotIsolation(db.Database));
        Assert.Null(MeteringReads.OneStatementIsolation(db.Database));
        Assert.Null(MeteringReads.PastCommitBarrierIsolation(db.Database));
    }
}
