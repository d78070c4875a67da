using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Sso;

/// <summary>What the Settings section shows of the tenant's single sign-on (never the secret itself).</summary>
/// <param name="Entitled">Whether the tenant's plan (or an operator's override) includes <c>sso</c>.</param>
/// <param name="Tier">The tenant's plan, for the upgrade hint.</param>
/// <param name="Configured">Whether a connection exists.</param>
/// <param name="ConnectionId">The connection's id (names its callback path), or null.</param>
/// <param name="Issuer">The issuer URL.</param>
/// <param name="ClientId">The client id.</param>
/// <param name="SecretSet">True when a secret is stored (it is never shown again).</param>
/// <param name="AllowedDomains">The allowed email domains.</param>
/// <param name="DefaultRole">The role people joining through SSO get.</param>
/// <param name="RequireSso">Whether members must sign in through SSO.</param>
/// <param name="Enabled">Whether SSO is on.</param>
/// <param name="VerifiedDomains">The tenant's verified domains: what may be allowed.</param>
public sealed record SsoSettings(
    bool Entitled,
    SubscriptionTier Tier,
    bool Configured,
    Guid? ConnectionId,
    string Issuer,
    string ClientId,
    bool SecretSet,
    IReadOnlyList<string> AllowedDomains,
    TenantRole DefaultRole,
    bool RequireSso,
    bool Enabled,
    IReadOnlyList<string> VerifiedDomains)
{
    /// <summary>The allowed domains the tenant still holds verified: only those send people to the provider.</summary>
    public IReadOnlyList<string> EffectiveDomains => AllowedDomains.Intersect(VerifiedDomains, StringComparer.Ordinal).ToList();
}
