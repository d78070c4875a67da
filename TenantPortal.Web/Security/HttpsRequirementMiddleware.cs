using System.Net;
using TenantPortal.Core.Common;

namespace TenantPortal.Web.Security;

/// <summary>
/// Outside Development the portal's cookies are for HTTPS, so a plain-HTTP request is served only as a local try: from
/// the machine itself (a loopback connection that no proxy forwarded), or when <c>Portal:PublicUrl</c> is plain http
/// (allowed only on a loopback host, e.g. the Docker quick start's <c>http://localhost:8080</c>). Any other plain-HTTP
/// request gets a page (a problem body under <c>/api</c>) saying the portal needs HTTPS and which settings give it,
/// rather than a failure at the first cookie. Behind a TLS-terminating proxy named in <c>ForwardedHeaders</c> the request
/// arrives as HTTPS. The probes answer over HTTP from anywhere (<see cref="EdgeProblems.IsProbe"/>).
/// </summary>
public sealed class HttpsRequirementMiddleware(RequestDelegate next, IHostEnvironment environment, PortalAddresses addresses)
{
    /// <summary>Handles one request.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        if (environment.IsDevelopment() || context.Request.IsHttps || EdgeProblems.IsProbe(context.Request.Path) || IsLocalTry(context))
            return next(context);
        return RefuseAsync(context);
    }

    /// <summary>True when a plain-HTTP request may be served (see the class).</summary>
    public bool IsLocalTry(HttpContext context) =>
        addresses.PublicUrlIsPlainHttp || (IsLocal(context.Connection.RemoteIpAddress) && !CameThroughAProxy(context.Request));

    // No address: a Unix socket or an in-process server, both on this machine.
    private static bool IsLocal(IPAddress? address) => address is null || IPAddress.IsLoopback(address);

    // A proxy on this machine that the portal was not told to trust leaves its X-Forwarded-* headers unread.
    private static bool CameThroughAProxy(HttpRequest request) =>
        request.Headers.ContainsKey("X-Forwarded-Proto") || request.Headers.ContainsKey("X-Forwarded-For");

    private Task RefuseAsync(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress?.ToString() ?? "this machine";
        const string settings = "Terminate TLS at a reverse proxy or load balancer and name it in ForwardedHeaders:KnownProxies " +
                                "(or ForwardedHeaders:KnownNetworks), or give Kestrel a certificate (Kestrel:Endpoints:Https).";
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            return EdgeProblems.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.HttpsRequired, "This portal needs HTTPS",
                $"Call {addresses.PublicUrl} over HTTPS. Operators: {settings} This request came over plain HTTP from {remote}.");
        }
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(Page(addresses.PublicUrl, $"{context.Request.Scheme}://{context.Request.Host}", remote));
    }

    private static string Page(Uri publicUrl, string reached, string remote)
    {
        var open = publicUrl.Scheme == Uri.UriSchemeHttps
            ? $"<p>Open <a href=\"{Encode(publicUrl.AbsoluteUri)}\">{Encode(publicUrl.AbsoluteUri)}</a> instead.</p>"
            : "";
        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>TenantPortal needs HTTPS</title>
            <style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;line-height:1.5}code{background:#f2f2f2;padding:0 .25em}</style>
            </head>
            <body>
            <h1>This portal needs HTTPS</h1>
            <p>You reached TenantPortal over plain HTTP at <code>{{Encode(reached)}}</code>. Its sign-in and form cookies are sent over HTTPS only, so it does not serve pages over plain HTTP, except for a local try.</p>
            {{open}}
            <h2>If you run this portal</h2>
            <ul>
            <li><strong>TLS at a reverse proxy or load balancer</strong> (the usual set-up): let it send <code>X-Forwarded-Proto</code> and <code>X-Forwarded-For</code>, and name it in <code>ForwardedHeaders:KnownProxies</code> (its address; this request came from <code>{{Encode(remote)}}</code>) or <code>ForwardedHeaders:KnownNetworks</code> (a network such as <code>10.0.0.0/8</code>).</li>
            <li><strong>TLS in the portal</strong>: give Kestrel a certificate, e.g. <code>Kestrel:Endpoints:Https:Url=https://+:8443</code> with <code>Kestrel:Endpoints:Https:Certificate:Path</code> and <code>:Password</code>.</li>
            <li><strong>A local try</strong>: open the portal on the machine it runs on, or set <code>Portal:PublicUrl</code> to <code>http://localhost:&lt;port&gt;</code>.</li>
            </ul>
            <p><code>Portal:PublicUrl</code> is <code>{{Encode(publicUrl.AbsoluteUri)}}</code>.</p>
            </body>
            </html>
            """;
    }

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}
