using System.Security.Cryptography;

namespace TenantPortal.Web.Security;

/// <summary>
/// The portal's Content-Security-Policy. Scripts come from the portal only, plus the one inline script Blazor renders
/// (the <c>&lt;ImportMap /&gt;</c> that maps module names to fingerprinted files), allowed by a nonce made per request.
/// Styles allow inline: MudBlazor writes <c>style</c> attributes and a theme <c>&lt;style&gt;</c> element at run time,
/// which no nonce or hash can cover. Connections go to the portal only ('self' covers the SignalR WebSocket to the same
/// host: CSP level 3 matches ws:/wss: of the page's own origin). Stripe's Checkout and Customer Portal are navigations
/// (<c>location</c> changes from the circuit), which no directive here governs.
/// </summary>
public static class ContentSecurityPolicy
{
    /// <summary>The <see cref="HttpContext.Items"/> key holding the request's nonce.</summary>
    public const string NonceItemKey = "TenantPortal.CspNonce";

    /// <summary>The policy for one response, with its script nonce.</summary>
    public static string Build(string nonce) => WithScripts($"'self' 'nonce-{nonce}'");

    /// <summary>
    /// The policy of the API reference (<c>/api/docs</c>): Scalar's page starts itself with an inline module script that
    /// carries no nonce, so scripts may be inline there. The page shows only the public OpenAPI document (no user data,
    /// no cookie-authenticated actions: its "try it" calls send an API key the reader types), and it may not be framed.
    /// </summary>
    public static string BuildForApiReference() => WithScripts("'self' 'unsafe-inline'");

    // One list of directives; only where scripts may come from differs between the portal and the API reference.
    private static string WithScripts(string scriptSources) =>
        "default-src 'self'; " +
        $"script-src {scriptSources}; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "frame-ancestors 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "object-src 'none'";

    /// <summary>The policy for a request: the API reference's own, or the portal's with the request's nonce.</summary>
    public static string For(HttpContext context) =>
        context.Request.Path.StartsWithSegments(Startup.OpenApiExtensions.ReferencePath, StringComparison.OrdinalIgnoreCase)
            ? BuildForApiReference()
            : Build(NonceFor(context));

    /// <summary>The request's nonce (made on first use), for the <c>nonce</c> attribute of an inline script.</summary>
    public static string NonceFor(HttpContext context)
    {
        if (context.Items[NonceItemKey] is string nonce)
            return nonce;
        // Hex: 128 random bits with nothing that HTML attribute encoding would change ('+', '/', '=').
        nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceItemKey] = nonce;
        return nonce;
    }
}
