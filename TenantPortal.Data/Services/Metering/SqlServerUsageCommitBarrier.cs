using System.Data;
using System.Data.Common;
using Microsoft.Data.SqlClient;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// SQL Server: an application lock owned by the transaction (<c>sp_getapplock @LockOwner = 'Transaction'</c>), released
/// when it commits or rolls back. Ingest transactions hold it <c>Shared</c> (they don't wait for each other); a reader
/// closes it <c>Exclusive</c>. SQL Server grants locks in request order, so a waiting reader also holds off the ingest
/// transactions that ask after it: it waits only for those already open. A lock not granted within
/// <see cref="LockTimeout"/> fails the transaction with a <see cref="TimeoutException"/> naming the lock.
/// </summary>
public sealed class SqlServerUsageCommitBarrier : IUsageCommitBarrier
{
    /// <summary>The application lock's resource name (per database).</summary>
    public const string Resource = "TenantPortal.UsageEvents.CommitBarrier";

    /// <summary>The longest wait for the lock: an ingest transaction lasts milliseconds, so this is a stuck transaction.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(20);

    /// <inheritdoc />
    public bool CommitsInIdOrder => false;

    /// <inheritdoc />
    public Task EnterIngestAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        AcquireAsync(connection, transaction, "Shared", cancellationToken);

    /// <inheritdoc />
    public Task CloseAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        AcquireAsync(connection, transaction, "Exclusive", cancellationToken);

    /// <summary>The batch that asks for the lock: its return code (0 or 1 granted, below 0 not) is the result set.</summary>
    public static string CommandText(string mode) => $"""
        DECLARE @result int;
        EXEC @result = sp_getapplock @Resource = N'{Resource}', @LockMode = N'{mode}', @LockOwner = N'Transaction', @LockTimeout = @timeout;
        SELECT @result;
        """;

    private static async Task AcquireAsync(DbConnection connection, DbTransaction transaction, string mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(transaction);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = CommandText(mode);
        command.Parameters.Add(new SqlParameter("@timeout", SqlDbType.Int) { Value = (int)LockTimeout.TotalMilliseconds });
        // The command itself must outlast the lock's own timeout, so that the answer is the lock's, not SqlClient's.
        command.CommandTimeout = (int)LockTimeout.TotalSeconds + 10;
        var result = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        if (result < 0)
            throw new TimeoutException(
                $"The usage commit barrier's application lock '{Resource}' ({mode}) was not granted: sp_getapplock returned {result} "
                + $"({Explain(result)}). A transaction holding it may be stuck; look for long-running transactions on UsageEvents.");
    }

    // sp_getapplock's documented return codes.
    private static string Explain(int result) => result switch
    {
        -1 => $"timed out after {LockTimeout.TotalSeconds:0} s",
        -2 => "the request was cancelled",
        -3 => "chosen as a deadlock victim",
        _ => "a parameter or call error",
    };
}
