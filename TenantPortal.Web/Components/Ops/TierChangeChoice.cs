using TenantPortal.Core.Tenants;

namespace TenantPortal.Web.Components.Ops;

/// <summary>What an operator chose in <see cref="ChangeTierDialog"/>.</summary>
/// <param name="Tier">The new tier.</param>
/// <param name="Reason">Why; goes into the tenant's audit log.</param>
public sealed record TierChangeChoice(SubscriptionTier Tier, string Reason);
