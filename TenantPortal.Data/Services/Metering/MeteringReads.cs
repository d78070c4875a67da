using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// How the metering reads see one consistent state of the events, the rollups and the watermark on each provider.
/// A rollup moves events into rollups and the watermark past them in one transaction; a read that sums the rollups plus
/// the events past the watermark must see that transaction wholly or not at all.
/// <list type="bullet">
/// <item>SQLite: one writer, and every statement reads one snapshot: as it always read (no transaction added).</item>
/// <item>PostgreSQL: a statement reads one snapshot (MVCC); several statements share one in a REPEATABLE READ transaction
/// (read-only: it can't fail to serialise, and costs a BEGIN/COMMIT).</item>
/// <item>SQL Server: locking READ COMMITTED reads rows as it goes, so even one statement can read the watermark before
/// a rollup commits and the rollups after it. The reads run in a SNAPSHOT transaction (row versions;
/// <c>ALLOW_SNAPSHOT_ISOLATION</c> is switched on by the migration <c>UsageReadsSnapshotIsolation</c>): they neither
/// wait for the rollup's locks nor see half of it.</item>
/// </list>
/// Inside a transaction the caller began, its isolation level decides.
/// </summary>
internal static class MeteringReads
{
    /// <summary>Several statements read as one snapshot.</summary>
    public static Task<T> OneSnapshotAsync<T>(PortalDbContext db, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        RunAsync(db, OneSnapshotIsolation(db.Database), read, cancellationToken);

    /// <summary>One statement that reads the rollups against the watermark: only SQL Server needs a snapshot for it.</summary>
    public static Task<T> OneStatementAsync<T>(PortalDbContext db, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        RunAsync(db, OneStatementIsolation(db.Database), read, cancellationToken);

    /// <summary>
    /// Closes the <see cref="IUsageCommitBarrier"/> first, then reads: no ingest transaction is open, so <c>MAX(Id)</c> read
    /// here is a watermark (every id at or below it is committed and seen), and the events don't change until the
    /// transaction ends. SQL Server: SNAPSHOT, whose snapshot starts at the first statement that reads data, after the lock
    /// (an application lock reads none). PostgreSQL: READ COMMITTED, each statement after the lock seeing every commit
    /// before it (REPEATABLE READ would take its snapshot at the lock's own statement, before the wait); only a rollup can
    /// commit meanwhile, and the one statement that reads rollups and watermark together reads them as one snapshot.
    /// SQLite: its read transaction, as before.
    /// </summary>
    public static Task<T> PastCommitBarrierAsync<T>(PortalDbContext db, IUsageCommitBarrier barrier, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(barrier);
        return db.InTransactionAsync(PastCommitBarrierIsolation(db.Database), async (transaction, ct) =>
        {
            await barrier.CloseAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction(), ct);
            var result = await read(ct);
            await transaction.CommitAsync(ct);
            return result;
        }, cancellationToken);
    }

    /// <summary>The isolation of <see cref="OneSnapshotAsync"/> (null: no transaction of its own).</summary>
    internal static IsolationLevel? OneSnapshotIsolation(DatabaseFacade database) =>
        database.IsSqlServer() ? IsolationLevel.Snapshot
        : database.IsNpgsql() ? IsolationLevel.RepeatableRead
        : null;

    /// <summary>The isolation of <see cref="OneStatementAsync"/> (null: no transaction of its own).</summary>
    internal static IsolationLevel? OneStatementIsolation(DatabaseFacade database) =>
        database.IsSqlServer() ? IsolationLevel.Snapshot : null;

    /// <summary>The isolation of <see cref="PastCommitBarrierAsync"/>'s transaction (null: the provider's default).</summary>
    internal static IsolationLevel? PastCommitBarrierIsolation(DatabaseFacade database) =>
        database.IsSqlServer() ? IsolationLevel.Snapshot
        : database.IsNpgsql() ? IsolationLevel.ReadCommitted
        : null;

    private static async Task<T> RunAsync<T>(PortalDbContext db, IsolationLevel? isolation, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        if (isolation is null || db.Database.CurrentTransaction is not null)
            return await read(cancellationToken);
        return await db.InTransactionAsync(isolation, async (transaction, ct) =>
        {
            var result = await read(ct);
            await transaction.CommitAsync(ct);
            return result;
        }, cancellationToken);
    }
}
