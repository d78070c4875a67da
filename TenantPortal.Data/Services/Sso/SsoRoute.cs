namespace TenantPortal.Data.Services.Sso;

/// <summary>Where an email's owner signs in: the connection of the tenant that holds the email's domain verified.</summary>
/// <param name="ConnectionId">The connection (names the sign-in and callback paths).</param>
/// <param name="TenantId">Its tenant.</param>
/// <param name="TenantName">The tenant's name, for messages.</param>
/// <param name="Slug">The tenant's slug, where people land.</param>
public sealed record SsoRoute(Guid ConnectionId, Guid TenantId, string TenantName, string Slug);
