using Microsoft.EntityFrameworkCore.ChangeTracking;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Data.Interceptors;

/// <summary>
/// Invalidates the quota check's cached tenant state whenever a save adds, changes or deletes a <see cref="Tenant"/> or
/// a <see cref="QuotaOverride"/>, or an <see cref="Core.Entitlements.EntitlementOverride"/> (for the entitlement cache the
/// tenant state passes invalidations on to) (after the save and again at its transaction's end). A deleted tenant's running totals go too.
/// Under <c>Metering:QuotaCache=Redis</c> the change is published to the other instances too (<see cref="RedisTenantStateChannel"/>).
/// </summary>
public sealed class QuotaCacheInvalidationInterceptor(TenantQuotaStateCache states, QuotaUsageCache? usage = null, RedisTenantStateChannel? others = null)
    : TenantChangeInterceptor
{
    /// <inheritdoc />
    protected override Guid? TenantOf(EntityEntry entry) => entry.Entity switch
    {
        Tenant tenant => tenant.Id,
        QuotaOverride quotaOverride => quotaOverride.TenantId,
        Core.Entitlements.EntitlementOverride entitlementOverride => entitlementOverride.TenantId,
        _ => null,
    };

    /// <inheritdoc />
    protected override void Changed(IReadOnlyCollection<Guid> tenants, IReadOnlyCollection<Guid> deleted)
    {
        foreach (var id in tenants)
        {
            states.Invalidate(id);
            others?.Publish(id);
        }
        foreach (var id in deleted)
            usage?.Invalidate(id);
    }
}
