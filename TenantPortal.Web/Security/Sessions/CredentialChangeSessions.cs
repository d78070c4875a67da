using Microsoft.AspNetCore.Identity;
using TenantPortal.Data.Identity;
using TenantPortal.Data.Services.Sessions;

namespace TenantPortal.Web.Security.Sessions;

/// <summary>
/// What a change of credentials does to sessions: a password set, changed or reset, and any two-factor change (enabled,
/// disabled, authenticator reset, new recovery codes) end every other session of the user at once. The acting user's
/// own session carries on with a re-issued ticket (Identity's <c>RefreshSignInAsync</c>, so it holds the new security
/// stamp); a reset, done signed out, ends them all.
/// </summary>
public sealed class CredentialChangeSessions(UserSessionService sessions, SignInManager<PortalUser> signIn)
{
    /// <summary>After the signed-in user changed <paramref name="what"/>: ends their other sessions and refreshes this one.</summary>
    public async Task KeepOnlyThisSessionAsync(PortalUser user, HttpContext httpContext, string what)
    {
        await sessions.EndAllAsync(user.Id, SessionClaims.Id(httpContext.User), what, httpContext.RequestAborted);
        await signIn.RefreshSignInAsync(user);
    }

    /// <summary>After <paramref name="what"/> changed without a session of the user (a password reset): ends every session.</summary>
    public Task EndAllAsync(PortalUser user, string what, CancellationToken cancellationToken) =>
        sessions.EndAllAsync(user.Id, null, what, cancellationToken);
}
