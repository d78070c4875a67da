using TenantPortal.Core.Members;

namespace TenantPortal.Data.Services.Sso;

/// <summary>What an admin sets for the tenant's single sign-on.</summary>
/// <param name="Issuer">The provider's issuer URL (https).</param>
/// <param name="ClientId">The client id the provider gave.</param>
/// <param name="ClientSecret">A new client secret; null or empty keeps the stored one (required the first time).</param>
/// <param name="AllowedDomains">Email domains sent to the provider: each one of the tenant's verified domains.</param>
/// <param name="DefaultRole">The role of people joining through SSO (Viewer, Member or Admin).</param>
/// <param name="RequireSso">Members must sign in through SSO (owners keep a password).</param>
/// <param name="Enabled">SSO on.</param>
public sealed record SsoSettingsInput(
    string? Issuer,
    string? ClientId,
    string? ClientSecret,
    IReadOnlyList<string>? AllowedDomains,
    TenantRole DefaultRole,
    bool RequireSso,
    bool Enabled = true);
