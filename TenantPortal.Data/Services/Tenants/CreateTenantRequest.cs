using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Tenants;

/// <summary>What a user fills in to create a tenant.</summary>
public sealed record CreateTenantRequest(string Name, string Slug, SubscriptionTier Tier);
