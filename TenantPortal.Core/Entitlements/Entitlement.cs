namespace TenantPortal.Core.Entitlements;

/// <summary>A tenant's effective value of one feature.</summary>
/// <param name="Feature">The feature.</param>
/// <param name="Value">Its value for the tenant.</param>
/// <param name="Source">The plan, or an operator's override.</param>
/// <param name="ExpiresAt">When the override stops applying (the plan's value applies from then on); null for the plan's value or an open-ended override.</param>
public sealed record Entitlement(EntitlementFeature Feature, EntitlementValue Value, EntitlementSource Source, DateTimeOffset? ExpiresAt)
{
    /// <summary>True when the feature is included.</summary>
    public bool Enabled => Value.Enabled;
}
