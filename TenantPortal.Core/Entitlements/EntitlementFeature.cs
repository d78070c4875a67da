namespace TenantPortal.Core.Entitlements;

/// <summary>A feature a plan may include: its stable name (API, configuration), its kind and how people see it.</summary>
/// <param name="Name">The name in the API and in <c>Plans:{Tier}:Features:{name}</c>, e.g. <c>sso</c>.</param>
/// <param name="Kind">On/off, or a number.</param>
/// <param name="DisplayName">How the portal shows it, in sentence case.</param>
public sealed record EntitlementFeature(string Name, FeatureKind Kind, string DisplayName);
