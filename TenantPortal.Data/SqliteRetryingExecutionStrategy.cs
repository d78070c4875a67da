using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;

namespace TenantPortal.Data;

/// <summary>
/// SQLite's execution strategy: retries an operation that failed with SQLITE_BUSY or SQLITE_LOCKED (a write lock held
/// elsewhere, or a deferred read transaction that could not become a write one), and, as a retrying strategy, refuses a
/// user transaction begun outside <c>CreateExecutionStrategy().ExecuteAsync(…)</c> exactly as SQL Server's
/// <c>EnableRetryOnFailure</c> does: code that would fail in production fails on SQLite (development, tests) first.
/// </summary>
public sealed class SqliteRetryingExecutionStrategy : ExecutionStrategy
{
    /// <summary>Attempts after the first; Microsoft.Data.Sqlite already waits out a busy database up to the command timeout.</summary>
    public const int MaxRetries = 3;

    /// <summary>The longest pause between two attempts.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// <summary>Creates the strategy for a context.</summary>
    public SqliteRetryingExecutionStrategy(ExecutionStrategyDependencies dependencies) : base(dependencies, MaxRetries, MaxDelay)
    {
    }

    /// <inheritdoc />
    protected override bool ShouldRetryOn(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked };
}
