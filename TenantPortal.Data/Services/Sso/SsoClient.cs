using TenantPortal.Core.Members;

namespace TenantPortal.Data.Services.Sso;

/// <summary>A usable connection as the sign-in handler needs it, its secret unprotected (kept in memory only).</summary>
/// <param name="ConnectionId">The connection.</param>
/// <param name="Version">Moves with every change: keys cached handler options.</param>
/// <param name="TenantId">Its tenant.</param>
/// <param name="TenantName">The tenant's name, for messages.</param>
/// <param name="Slug">The tenant's slug, where people land.</param>
/// <param name="Issuer">The issuer tokens must carry.</param>
/// <param name="ClientId">The portal's client id there.</param>
/// <param name="ClientSecret">The portal's client secret there.</param>
/// <param name="DefaultRole">The role of people joining just in time.</param>
/// <param name="Domains">The allowed domains the tenant still holds verified.</param>
public sealed record SsoClient(
    Guid ConnectionId,
    int Version,
    Guid TenantId,
    string TenantName,
    string Slug,
    string Issuer,
    string ClientId,
    string ClientSecret,
    TenantRole DefaultRole,
    IReadOnlyList<string> Domains);
