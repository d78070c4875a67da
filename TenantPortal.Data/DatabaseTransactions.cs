using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace TenantPortal.Data;

/// <summary>
/// Runs a unit of work in a transaction inside the context's execution strategy. A retrying strategy (SQL Server's
/// <c>EnableRetryOnFailure</c>, <see cref="SqliteRetryingExecutionStrategy"/>) refuses a transaction begun outside it, and on
/// a transient failure runs the whole unit again: from the transaction's start, with the change tracker emptied.
/// </summary>
public static class DatabaseTransactions
{
    /// <summary>
    /// Begins a transaction, runs <paramref name="operation"/> with it and returns its result; the operation commits (a
    /// transaction it leaves uncommitted is rolled back). It may run more than once, so it adds its entities itself.
    /// </summary>
    public static Task<T> InTransactionAsync<T>(this PortalDbContext db, Func<IDbContextTransaction, CancellationToken, Task<T>> operation,
        CancellationToken cancellationToken) =>
        InTransactionAsync(db, isolation: null, operation, cancellationToken);

    /// <summary>
    /// As <see cref="InTransactionAsync{T}(PortalDbContext, Func{IDbContextTransaction, CancellationToken, Task{T}}, CancellationToken)"/>,
    /// at the given isolation level (null: the provider's default).
    /// </summary>
    public static Task<T> InTransactionAsync<T>(this PortalDbContext db, IsolationLevel? isolation,
        Func<IDbContextTransaction, CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(operation);
        var attempt = 0;
        return db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            if (attempt++ > 0)
                db.ChangeTracker.Clear();
            await using var transaction = isolation is { } level
                ? await db.Database.BeginTransactionAsync(level, ct)
                : await db.Database.BeginTransactionAsync(ct);
            return await operation(transaction, ct);
        }, cancellationToken);
    }
}
