using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Data.Interceptors;

/// <summary>
/// Invalidates the quota check's cached tenant state whenever a save adds, changes or deletes a <see cref="Tenant"/> or
/// a <see cref="QuotaOverride"/>: once the save ran and again when its transaction commits or rolls back, so that a check
/// loading the old state between the two can't keep it. A deleted tenant's running totals go too.
/// </summary>
public sealed class QuotaCacheInvalidationInterceptor(TenantQuotaStateCache states, QuotaUsageCache usage) : SaveChangesInterceptor, IDbTransactionInterceptor
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

    private void Collect(DbContext? context)
    {
        if (context is null)
            return;
        Touched? touched = null;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
                continue;
            switch (entry.Entity)
            {
                case Tenant tenant:
                    touched ??= _pending.GetOrCreateValue(context);
                    lock (touched)
                    {
                        touched.Tenants.Add(tenant.Id);
                        if (entry.State == EntityState.Deleted)
                            touched.Deleted.Add(tenant.Id);
                    }
                    break;
                case QuotaOverride quotaOverride:
                    touched ??= _pending.GetOrCreateValue(context);
                    lock (touched)
                        touched.Tenants.Add(quotaOverride.TenantId);
                    break;
            }
        }
    }

    private void Saved(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out var touched))
            return;
        Invalidate(touched);
        if (context.Database.CurrentTransaction is null)
            _pending.Remove(context);
    }

    private void Ended(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out var touched))
            return;
        Invalidate(touched);
        _pending.Remove(context);
    }

    private void Invalidate(Touched touched)
    {
        lock (touched)
        {
            foreach (var id in touched.Tenants)
                states.Invalidate(id);
            foreach (var id in touched.Deleted)
                usage.Invalidate(id);
        }
    }

    private sealed class Touched
    {
        public HashSet<Guid> Tenants { get; } = [];
        public HashSet<Guid> Deleted { get; } = [];
    }
}
