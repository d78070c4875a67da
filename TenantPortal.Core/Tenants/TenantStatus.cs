namespace TenantPortal.Core.Tenants;

/// <summary>The lifecycle state of a tenant (PRODUCT.md section 3).</summary>
public enum TenantStatus
{
    /// <summary>A paid tier on its 14-day trial.</summary>
    Trial = 0,
    /// <summary>Paying, or on the Free tier.</summary>
    Active = 1,
    /// <summary>A payment failed; still served during the dunning window.</summary>
    PastDue = 2,
    /// <summary>Access is blocked (trial ended, unpaid, or an operator's decision); usage is still recorded.</summary>
    Suspended = 3,
    /// <summary>The subscription ended.</summary>
    Cancelled = 4,
}
