using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services;

/// <summary>Fleet totals: tenants by status and monthly recurring revenue.</summary>
public sealed record FleetSummary(IReadOnlyDictionary<TenantStatus, int> ByStatus, long MrrCents)
{
    /// <summary>All tenants.</summary>
    public int Total => ByStatus.Values.Sum();
}
