using System.Data.Common;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// SQLite has one writer at a time and a reader's transaction sees a committed snapshot: ids are committed in id order,
/// so <c>MAX(Id)</c> inside a read transaction is a watermark already. Nothing to wait for.
/// </summary>
public sealed class SqliteUsageCommitBarrier : IUsageCommitBarrier
{
    /// <inheritdoc />
    public bool CommitsInIdOrder => true;

    /// <inheritdoc />
    public Task EnterIngestAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task CloseAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;
}
