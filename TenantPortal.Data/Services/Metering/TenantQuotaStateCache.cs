using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// The tenant state the quota check decides on (tier, status, trial end, subscription start, quota overrides), cached per
/// tenant under <c>Metering:QuotaCache=Local</c>. Every save touching a tenant or its overrides invalidates it
/// (<see cref="Interceptors.QuotaCacheInvalidationInterceptor"/>, and the tenant deletion's bulk delete), both when the
/// save runs and when its transaction commits, so the next check reads the new state. The cached
/// <see cref="Tenant"/> objects are shared between requests and must not be modified. Every invalidation is passed on to
/// the entitlement cache (<see cref="Entitlements.EntitlementCache"/>), which depends on the same tenant state (tier) and on
/// the tenant's entitlement overrides, so that it reaches every instance by the same way.
/// </summary>
public sealed class TenantQuotaStateCache(TimeProvider time, Entitlements.EntitlementCache? entitlements = null)
{
    private readonly TenantSlotCache<Tenant> _tenants = new(time);

    /// <summary>Forgets the tenant's state: the next check reads it again.</summary>
    public void Invalidate(Guid tenantId)
    {
        _tenants.Invalidate(tenantId);
        entitlements?.Invalidate(tenantId);
    }

    /// <summary>Forgets every tenant's state (invalidations may have been missed).</summary>
    public void InvalidateAll()
    {
        _tenants.InvalidateAll();
        entitlements?.InvalidateAll();
    }

    /// <summary>The cached tenant (with its quota overrides), or null when it must be loaded.</summary>
    internal Tenant? TryGet(Guid tenantId) =>
        _tenants.TryRead(tenantId, 0, static (tenant, _) => (true, tenant), out var tenant) ? tenant : null;

    /// <summary>Starts loading a tenant; pass the ticket to <see cref="CompleteLoad"/>.</summary>
    internal long BeginLoad(Guid tenantId) => _tenants.BeginLoad(tenantId);

    /// <summary>Caches a loaded tenant unless it was invalidated since the ticket; true when cached.</summary>
    internal bool CompleteLoad(Guid tenantId, long ticket, Tenant tenant) => _tenants.Complete(tenantId, ticket, tenant);
}
