using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Primitives;

namespace TenantPortal.Web.Security.Sessions;

/// <summary>
/// A sign-in on a browser that already holds a session cookie: the cookie handler renews that cookie's session with
/// the new ticket instead of starting one. When that session belongs to someone else or has ended,
/// <see cref="PortalTicketStore"/> refuses, and the sign-in gets a new session here, after the handler wrote its cookie:
/// a planted cookie (session fixation) never becomes the victim's session, and a sign-in after a revoke still works.
/// </summary>
public static class SessionReissue
{
    // The cookie handler's claim for the session id inside the cookie (CookieAuthenticationHandler.SessionIdClaim).
    private const string CookieSessionIdClaim = "Microsoft.AspNetCore.Authentication.Cookies-SessionId";

    private static readonly object SigningInKey = new();
    private static readonly object PendingKey = new();

    /// <summary>True while the request signs someone in (between the cookie events SigningIn and SignedIn).</summary>
    public static bool IsSigningIn(HttpContext httpContext) => httpContext.Items.ContainsKey(SigningInKey);

    /// <summary>Asks for a new session for <paramref name="ticket"/> once the sign-in has written its cookie.</summary>
    public static void Request(HttpContext httpContext, AuthenticationTicket ticket) => httpContext.Items[PendingKey] = ticket;

    /// <summary>Adds the reissue to the application cookie's events, keeping Identity's own handlers.</summary>
    public static void Attach(CookieAuthenticationOptions options, PortalTicketStore store)
    {
        var signingIn = options.Events.OnSigningIn;
        options.Events.OnSigningIn = async context =>
        {
            await signingIn(context);
            context.HttpContext.Items[SigningInKey] = context.CookieOptions;
        };
        var signedIn = options.Events.OnSignedIn;
        options.Events.OnSignedIn = async context =>
        {
            await signedIn(context);
            await ReissueAsync(context, store);
        };
    }

    private static async Task ReissueAsync(CookieSignedInContext context, PortalTicketStore store)
    {
        var items = context.HttpContext.Items;
        if (items[PendingKey] is not AuthenticationTicket ticket || items[SigningInKey] is not CookieOptions cookieOptions)
            return;
        items.Remove(PendingKey);
        var sessionId = await store.StoreAsync(ticket, context.HttpContext, context.HttpContext.RequestAborted);
        var issuer = context.Options.ClaimsIssuer ?? context.Scheme.Name;
        var cookieTicket = new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(CookieSessionIdClaim, sessionId, ClaimValueTypes.String, issuer)], issuer)),
            null, context.Scheme.Name);
        var name = context.Options.Cookie.Name!;
        // The handler's cookie named the refused session: replaced, not followed by a second cookie of the same name.
        var response = context.HttpContext.Response;
        response.Headers.SetCookie = new StringValues([.. response.Headers.SetCookie.Where(c => c is null || !c.StartsWith(name + "=", StringComparison.Ordinal))]);
        context.Options.CookieManager.AppendResponseCookie(context.HttpContext, name, context.Options.TicketDataFormat.Protect(cookieTicket), cookieOptions);
    }
}
