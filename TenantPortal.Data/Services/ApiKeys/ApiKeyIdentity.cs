namespace TenantPortal.Data.Services.ApiKeys;

/// <summary>What an authenticated API key stands for: its tenant and scopes, and who created it (for the audit log).</summary>
public sealed record ApiKeyIdentity(Guid KeyId, Guid TenantId, string TenantSlug, TenantPortal.Core.Tenants.SubscriptionTier Tier, string Name, string Prefix,
    IReadOnlyList<string> Scopes, string CreatedByUserId, string? CreatedByEmail = null)
{
    /// <summary>The actor this key's calls are performed and audited as.</summary>
    public Actor ToActor(string? ipAddress) =>
        Actor.ForApiKey(new ApiKeyActor(KeyId, TenantId, Name, Prefix, Scopes), CreatedByUserId, CreatedByEmail, ipAddress);
}
