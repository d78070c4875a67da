using Microsoft.EntityFrameworkCore.ChangeTracking;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services;

namespace TenantPortal.Data.Interceptors;

/// <summary>
/// Bumps <see cref="TenantDataVersions"/> for every tenant whose <see cref="Tenant"/> row or owned rows a save adds,
/// changes or deletes (after the save and again at its transaction's end), so a live panel reading between the two
/// can't keep what it read as current.
/// </summary>
public sealed class TenantDataVersionInterceptor(TenantDataVersions versions) : TenantChangeInterceptor
{
    /// <inheritdoc />
    protected override Guid? TenantOf(EntityEntry entry) => entry.Entity switch
    {
        Tenant tenant => tenant.Id,
        ITenantOwned owned => owned.TenantId,
        _ => null,
    };

    /// <inheritdoc />
    protected override void Changed(IReadOnlyCollection<Guid> tenants, IReadOnlyCollection<Guid> deleted)
    {
        foreach (var id in tenants)
            versions.Changed(id);
    }
}
