using TenantPortal.Core.Entitlements;

namespace TenantPortal.Data.Services.Entitlements;

/// <summary>One feature of a tenant as operators see it: the plan's value, the override (when there is one) and what applies now.</summary>
/// <param name="Feature">The feature.</param>
/// <param name="Plan">The value of the tenant's plan.</param>
/// <param name="Effective">What applies now, and where it comes from.</param>
/// <param name="Override">The stored override, whether or not it still applies; null when there is none.</param>
public sealed record OperatorEntitlementRow(EntitlementFeature Feature, EntitlementValue Plan, Entitlement Effective, OperatorOverrideInfo? Override);

/// <summary>A stored override as operators see it.</summary>
/// <param name="Value">The value it gives.</param>
/// <param name="ExpiresAt">When it stops applying; null for no end.</param>
/// <param name="Expired">True when that moment has passed (the plan's value applies; remove it or set a new one).</param>
/// <param name="Reason">Why it was set.</param>
/// <param name="CreatedBy">Who set it.</param>
/// <param name="CreatedAt">When.</param>
public sealed record OperatorOverrideInfo(EntitlementValue Value, DateTimeOffset? ExpiresAt, bool Expired, string Reason, string CreatedBy, DateTimeOffset CreatedAt);
