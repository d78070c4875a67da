using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Scim;

/// <summary>What an authenticated SCIM token stands for: its tenant, and its name and prefix for the audit log.</summary>
public sealed record ScimTokenIdentity(Guid TokenId, Guid TenantId, SubscriptionTier Tier, string Name, string Prefix)
{
    /// <summary>The user id a SCIM token's actor carries: never a real user, so it passes no member's gate.</summary>
    public string ActorUserId => $"scim_token:{TokenId}";

    /// <summary>The actor this token's calls are performed and audited as: <c>SCIM token {name} ({prefix}…)</c>.</summary>
    public Actor ToActor(string? ipAddress) => new(ActorUserId, $"SCIM token {Name} ({Prefix}…)", ipAddress);
}
