using Microsoft.EntityFrameworkCore.ChangeTracking;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services;

namespace TenantPortal.Data.Interceptors;

/// <summary>
/// Marks a tenant's fleet figures for recomputation (<see cref="FleetSnapshotChanges"/>) when a save changes what they
/// are computed from besides usage: the tenant (its plan), its quota overrides or its members. Reported after the save
/// and again at its transaction's end, so a refresh reading the old data between the two can't keep it.
/// </summary>
public sealed class FleetSnapshotInterceptor(FleetSnapshotChanges changes) : TenantChangeInterceptor
{
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
}
