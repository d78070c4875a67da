using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services;

namespace TenantPortal.Data.Interceptors;

/// <summary>
/// Bumps <see cref="TenantDataVersions"/> for every tenant whose <see cref="Tenant"/> row or owned rows a save adds,
/// changes or deletes: once the save ran and again when its transaction commits or rolls back, so that a panel reading
/// between the two can't keep what it read as current.
/// </summary>
public sealed class TenantDataVersionInterceptor(TenantDataVersions versions) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    // The tenants a context's saves touched inside a transaction not yet ended.
    private readonly ConditionalWeakTable<DbContext, HashSet<Guid>> _pending = new();

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

    private void Collect(DbContext? context)
    {
        if (context is null)
            return;
        HashSet<Guid>? touched = null;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
                continue;
            Guid? tenantId = entry.Entity switch
            {
                Tenant tenant => tenant.Id,
                ITenantOwned owned => owned.TenantId,
                _ => null,
            };
            if (tenantId is not { } id)
                continue;
            touched ??= _pending.GetOrCreateValue(context);
            lock (touched)
                touched.Add(id);
        }
    }

    private void Saved(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out var touched))
            return;
        Bump(touched);
        if (context.Database.CurrentTransaction is null)
            _pending.Remove(context);
    }

    private void Ended(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out var touched))
            return;
        Bump(touched);
        _pending.Remove(context);
    }

    private void Bump(HashSet<Guid> touched)
    {
        lock (touched)
        {
            foreach (var id in touched)
                versions.Changed(id);
        }
    }
}
