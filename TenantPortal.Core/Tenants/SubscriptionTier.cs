namespace TenantPortal.Core.Tenants;

/// <summary>The plan a tenant is on (PRODUCT.md section 2).</summary>
public enum SubscriptionTier
{
    /// <summary>$0, hard limits.</summary>
    Free = 0,
    /// <summary>$49 a month.</summary>
    Starter = 1,
    /// <summary>$199 a month.</summary>
    Professional = 2,
    /// <summary>$999 a month, unlimited.</summary>
    Enterprise = 3,
}
