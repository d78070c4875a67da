using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Interceptors;

/// <summary>
/// Watches saves for changes to tenants' data and reports the tenants touched twice: once the save ran and again when
/// its transaction commits or rolls back, so that a reader loading the old data between the two can't keep it as
/// current. Subclasses say which entries matter (<see cref="TenantOf"/>) and what a change means (<see cref="Changed"/>).
/// </summary>
public abstract class TenantChangeInterceptor : SaveChangesInterceptor, IDbTransactionInterceptor
{
    // The tenants a context's saves touched inside a transaction not yet ended.
    private readonly ConditionalWeakTable<DbContext, Touched> _pending = new();

    /// <inheritdoc />
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    /// <inheritdoc />
    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    /// <inheritdoc />
    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    /// <inheritdoc />
    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    /// <inheritdoc />
    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Saved(eventData.Context);

    /// <inheritdoc />
    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData.Context);

    /// <inheritdoc />
    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData.Context);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData.Context);

    /// <inheritdoc />
    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>The tenant whose data the entry changes, or null when the entry doesn't matter here.</summary>
    protected abstract Guid? TenantOf(EntityEntry entry);

    /// <summary>The tenants a save touched, and those of them it deleted.</summary>
    protected abstract void Changed(IReadOnlyCollection<Guid> tenants, IReadOnlyCollection<Guid> deleted);

    private void Collect(DbContext? context)
    {
        if (context is null)
            return;
        Touched? touched = null;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted) || TenantOf(entry) is not { } id)
                continue;
            touched ??= _pending.GetOrCreateValue(context);
            lock (touched)
            {
                touched.Tenants.Add(id);
                if (entry is { Entity: Tenant, State: EntityState.Deleted })
                    touched.Deleted.Add(id);
            }
        }
    }

    private void Saved(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out var touched))
            return;
        Report(touched);
        if (context.Database.CurrentTransaction is null)
            _pending.Remove(context);
    }

    private void Ended(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out var touched))
            return;
        Report(touched);
        _pending.Remove(context);
    }

    private void Report(Touched touched)
    {
        lock (touched)
            Changed(touched.Tenants, touched.Deleted);
    }

    private sealed class Touched
    {
        public HashSet<Guid> Tenants { get; } = [];
        public HashSet<Guid> Deleted { get; } = [];
    }
}
