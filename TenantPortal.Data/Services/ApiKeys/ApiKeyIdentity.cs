namespace TenantPortal.Data.Services.ApiKeys;

/// <summary>What an authenticated API key stands for: its tenant and scopes.</summary>
public sealed record ApiKeyIdentity(Guid KeyId, Guid TenantId, string TenantSlug, TenantPortal.Core.Tenants.SubscriptionTier Tier, string Name, string Prefix, IReadOnlyList<string> Scopes, string CreatedByUserId);
