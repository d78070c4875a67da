using Microsoft.EntityFrameworkCore.ChangeTracking;
using TenantPortal.Core.Entitlements;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Entitlements;

namespace TenantPortal.Data.Interceptors;

/// <summary>
/// Forgets a tenant's cached entitlements when a save adds, changes or deletes the <see cref="Tenant"/> or one of its
/// <see cref="EntitlementOverride"/>s (after the save and again at its transaction's end). Registered only with
/// <c>Metering:QuotaCache=None</c>: with Local or Redis, <see cref="QuotaCacheInvalidationInterceptor"/> does it through the
/// quota check's tenant state, which reaches the other instances too.
/// </summary>
public sealed class EntitlementCacheInvalidationInterceptor(EntitlementCache entitlements) : TenantChangeInterceptor
{
    /// <inheritdoc />
    protected override Guid? TenantOf(EntityEntry entry) => entry.Entity switch
    {
        Tenant tenant => tenant.Id,
        EntitlementOverride entitlementOverride => entitlementOverride.TenantId,
        _ => null,
    };

    /// <inheritdoc />
    protected override void Changed(IReadOnlyCollection<Guid> tenants, IReadOnlyCollection<Guid> deleted)
    {
        foreach (var id in tenants)
            entitlements.Invalidate(id);
    }
}
