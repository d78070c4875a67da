namespace TenantPortal.Core.Entitlements;

/// <summary>Where a tenant's value of a feature comes from.</summary>
public enum EntitlementSource
{
    /// <summary>The tenant's plan (configuration).</summary>
    Plan,

    /// <summary>An operator's override for this tenant.</summary>
    Override,
}
