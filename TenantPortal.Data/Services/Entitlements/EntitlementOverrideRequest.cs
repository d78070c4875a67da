namespace TenantPortal.Data.Services.Entitlements;

/// <summary>An operator's override of one feature for a tenant.</summary>
/// <param name="Feature">The feature's name (<c>sso</c>, <c>max_api_keys</c>, …).</param>
/// <param name="Enabled">For an on/off feature: on or off. Ignored for a limit.</param>
/// <param name="Limit">For a limit feature: the number, 0 or more, or -1 for unlimited. Must be absent for an on/off feature.</param>
/// <param name="ExpiresAt">When the override stops applying (UTC, in the future); null for no end.</param>
public sealed record EntitlementOverrideRequest(string? Feature, bool Enabled, long? Limit, DateTimeOffset? ExpiresAt);
