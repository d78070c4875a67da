using System.Collections.Frozen;
using TenantPortal.Core.Entitlements;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Entitlements;

/// <summary>What a tenant's entitlements are decided on: its tier and its overrides by feature, as loaded at a moment.</summary>
/// <param name="Tier">The tenant's tier.</param>
/// <param name="Overrides">Its overrides by feature name, expired ones included (expiry is decided when read). Never modified.</param>
/// <param name="LoadedAtTicks">When it was read from the database (UTC ticks).</param>
internal sealed record TenantEntitlementState(SubscriptionTier Tier, FrozenDictionary<string, EntitlementOverride> Overrides, long LoadedAtTicks);
