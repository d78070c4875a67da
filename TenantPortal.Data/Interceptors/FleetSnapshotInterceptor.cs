using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services;

namespace TenantPortal.Data.Interceptors;

/// <summary>
/// Marks a tenant's fleet figures for recomputation when a save changes what they are computed from besides usage: the
/// tenant (its plan), its quota overrides or its members. Two marks: in this process (<see cref="FleetSnapshotChanges"/>),
/// reported after the save and again at its transaction's end, so a refresh reading the old data between the two can't
/// keep it; and in the database, for the other instances: the same save (in its transaction, when it has one) makes the
/// tenant's snapshot row due (<see cref="FleetUsageSnapshot.RefreshedAt"/> long past), which every instance's next fleet
/// scan (<see cref="FleetSnapshotChanges.ScanInterval"/>) recomputes.
/// </summary>
public sealed class FleetSnapshotInterceptor(FleetSnapshotChanges changes) : TenantChangeInterceptor
{
    /// <summary>What a changed tenant's row is marked with: older than any <see cref="FleetSnapshotRefresher.MaxAge"/>.</summary>
    public static readonly DateTimeOffset Due = DateTimeOffset.UnixEpoch;

    // The tenants a save in progress changes (not deleted ones: their row goes with them).
    private readonly ConditionalWeakTable<DbContext, HashSet<Guid>> _saving = new();

    /// <inheritdoc />
    protected override Guid? TenantOf(EntityEntry entry) => entry.Entity switch
    {
        Tenant tenant => tenant.Id,
        QuotaOverride quotaOverride => quotaOverride.TenantId,
        TenantMember member => member.TenantId,
        _ => null,
    };

    /// <inheritdoc />
    protected override void Changed(IReadOnlyCollection<Guid> tenants, IReadOnlyCollection<Guid> deleted)
    {
        // A deleted tenant's row goes with it (cascade).
        foreach (var id in tenants)
            if (!deleted.Contains(id))
                changes.Changed(id);
    }

    /// <inheritdoc />
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Capture(eventData.Context);
        return base.SavingChanges(eventData, result);
    }

    /// <inheritdoc />
    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Capture(eventData.Context);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    /// <inheritdoc />
    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (Take(eventData.Context) is { } marked)
            marked.Rows.Where(s => marked.Ids.Contains(s.TenantId)).ExecuteUpdate(s => s.SetProperty(r => r.RefreshedAt, Due));
        return base.SavedChanges(eventData, result);
    }

    /// <inheritdoc />
    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (Take(eventData.Context) is { } marked)
            await marked.Rows.Where(s => marked.Ids.Contains(s.TenantId)).ExecuteUpdateAsync(s => s.SetProperty(r => r.RefreshedAt, Due), cancellationToken);
        return await base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    /// <inheritdoc />
    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        Take(eventData.Context);
        base.SaveChangesFailed(eventData);
    }

    /// <inheritdoc />
    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Take(eventData.Context);
        return base.SaveChangesFailedAsync(eventData, cancellationToken);
    }

    private void Capture(DbContext? context)
    {
        if (context is not PortalDbContext)
            return;
        var ids = new HashSet<Guid>();
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && TenantOf(entry) is { } id
                && entry is not { Entity: Tenant, State: EntityState.Deleted })
                ids.Add(id);
        }
        if (ids.Count > 0)
            _saving.AddOrUpdate(context, ids);
    }

    private (IQueryable<FleetUsageSnapshot> Rows, List<Guid> Ids)? Take(DbContext? context)
    {
        if (context is not PortalDbContext db || !_saving.TryGetValue(context, out var ids))
            return null;
        _saving.Remove(context);
        return (db.FleetUsageSnapshots, ids.ToList());
    }
}
