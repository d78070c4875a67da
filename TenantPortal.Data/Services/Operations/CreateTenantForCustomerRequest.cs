using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Operations;

/// <summary>What an operator fills in to create a tenant on behalf of a customer.</summary>
/// <param name="Name">The tenant's display name.</param>
/// <param name="Slug">Its URL name.</param>
/// <param name="Tier">The plan (paid tiers start a trial, as when customers create tenants themselves).</param>
/// <param name="OwnerEmail">The customer's email: an existing user becomes Owner, anyone else gets an Owner invitation.</param>
public sealed record CreateTenantForCustomerRequest(string Name, string Slug, SubscriptionTier Tier, string OwnerEmail);
