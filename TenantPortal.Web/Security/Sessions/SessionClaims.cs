using System.Security.Claims;

namespace TenantPortal.Web.Security.Sessions;

/// <summary>
/// The claim that names the server-side session a principal was read from. <see cref="PortalTicketStore"/> adds it to
/// every ticket it hands out (it is never stored), so that a page or a circuit can tell its own session from the others.
/// </summary>
public static class SessionClaims
{
    /// <summary>The claim type.</summary>
    public const string SessionId = "tenantportal:session";

    /// <summary>The session id the principal came with, or null (anonymous, or not signed in with the portal's cookie).</summary>
    public static string? Id(ClaimsPrincipal? principal) => principal?.FindFirst(SessionId)?.Value;

    /// <summary>Adds <paramref name="sessionId"/> to the principal's first identity, unless it is there already.</summary>
    public static void Add(ClaimsPrincipal principal, string sessionId)
    {
        if (Id(principal) is null && principal.Identities.FirstOrDefault() is { } identity)
            identity.AddClaim(new Claim(SessionId, sessionId));
    }
}
