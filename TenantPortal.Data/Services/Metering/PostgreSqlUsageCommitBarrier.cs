using System.Data.Common;
using System.Globalization;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// PostgreSQL: one transaction-level advisory lock on a fixed key, released when the transaction ends. Ingest
/// transactions take it shared (<c>pg_advisory_xact_lock_shared</c>: they don't wait for each other); a reader takes it
/// exclusive (<c>pg_advisory_xact_lock</c>). PostgreSQL queues a shared request behind a waiting exclusive one, so a
/// waiting reader waits only for the ingest transactions already open. A lock not granted within
/// <see cref="LockTimeout"/> (the transaction's <c>lock_timeout</c> for this one statement) fails the transaction with
/// a <see cref="TimeoutException"/> naming the lock.
/// </summary>
/// <remarks>
/// A reader that reads with one snapshot for the whole transaction (REPEATABLE READ) must not close the barrier there:
/// PostgreSQL takes that snapshot at the transaction's first statement, the lock's own, before the wait, so what
/// committed meanwhile would be invisible. Readers close it under READ COMMITTED, where each later statement sees it.
/// </remarks>
public sealed class PostgreSqlUsageCommitBarrier : IUsageCommitBarrier
{
    /// <summary>The advisory lock's key (one 64-bit key for the whole database: "TPUsgEvt" in ASCII).</summary>
    public const long LockKey = 0x5450_5573_6745_7674;

    /// <summary>The longest wait for the lock: an ingest transaction lasts milliseconds, so this is a stuck transaction.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(20);

    // PostgreSQL's SQLSTATE for a lock wait ended by lock_timeout.
    private const string LockNotAvailable = "55P03";

    /// <inheritdoc />
    public bool CommitsInIdOrder => false;

    /// <inheritdoc />
    public Task EnterIngestAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        AcquireAsync(connection, transaction, "pg_advisory_xact_lock_shared", cancellationToken);

    /// <inheritdoc />
    public Task CloseAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        AcquireAsync(connection, transaction, "pg_advisory_xact_lock", cancellationToken);

    /// <summary>
    /// The statements that take the lock: the timeout applies to this wait only, and the transaction's own
    /// <c>lock_timeout</c> (the session's) is back for its next statement.
    /// </summary>
    public static string CommandText(string function) => string.Create(CultureInfo.InvariantCulture, $"""
        SET LOCAL lock_timeout = '{(long)LockTimeout.TotalMilliseconds}ms';
        SELECT {function}({LockKey});
        SET LOCAL lock_timeout TO DEFAULT;
        """);

    private static async Task AcquireAsync(DbConnection connection, DbTransaction transaction, string function, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(transaction);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = CommandText(function);
        // The command itself must outlast the lock's own timeout, so that the answer is the lock's, not the client's.
        command.CommandTimeout = (int)LockTimeout.TotalSeconds + 10;
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (DbException ex) when (ex.SqlState == LockNotAvailable)
        {
            throw new TimeoutException(
                $"The usage commit barrier's advisory lock {LockKey} ({function}) was not granted within {LockTimeout.TotalSeconds:0} s. "
                + "A transaction holding it may be stuck; look for long-running transactions in pg_stat_activity.", ex);
        }
    }
}
