using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services;

/// <summary>Fleet totals: tenants by status, monthly recurring revenue and tenants over a quota.</summary>
/// <param name="ByStatus">Tenants in each state (every state present).</param>
/// <param name="MrrCents">Monthly recurring revenue of Active and PastDue tenants, in cents.</param>
/// <param name="OverQuota">Tenants with a priced metric at 100 % of its quota or more this period.</param>
public sealed record FleetSummary(IReadOnlyDictionary<TenantStatus, int> ByStatus, long MrrCents, int OverQuota = 0)
{
    /// <summary>All tenants.</summary>
    public int Total => ByStatus.Values.Sum();
}
