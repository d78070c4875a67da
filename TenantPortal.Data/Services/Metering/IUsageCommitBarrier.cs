using System.Data.Common;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// Orders readers of the event table's highest id after every ingest transaction that could still commit an id below it.
/// On a server database ids are handed out at insert and transactions commit out of id order, so <c>MAX(Id)</c> is no
/// watermark by itself: an open transaction may still commit a lower id. An ingest transaction enters the barrier
/// (shared) before it takes any id and holds it until it ends; a reader that needs a watermark closes the barrier
/// (exclusive) in its own transaction: it waits for the open ingest transactions to end, and none begins until the
/// reader's transaction ends, so every id at or below the <c>MAX(Id)</c> it then reads is committed.
/// One implementation per provider (SQLite, SQL Server, PostgreSQL), registered by <c>AddDataServices</c> with the
/// provider's stores; the services and stores that need it take it in their constructor.
/// </summary>
public interface IUsageCommitBarrier
{
    /// <summary>
    /// Whether ids commit in id order by nature (one writer at a time): the barrier has nothing to wait for, and
    /// <c>MAX(Id)</c> is a watermark without closing it.
    /// </summary>
    bool CommitsInIdOrder { get; }

    /// <summary>Inside an ingest transaction, before its first insert: held (shared) until the transaction ends.</summary>
    Task EnterIngestAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>Inside a reader's transaction: waits for open ingest transactions and holds new ones off until it ends.</summary>
    Task CloseAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);
}
