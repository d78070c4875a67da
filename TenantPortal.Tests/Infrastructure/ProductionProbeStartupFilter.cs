using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// Test-only additions to the Production app: a request with <c>X-Test-Https: 1</c> arrives as HTTPS for a public host
/// (as it would behind a TLS-terminating proxy), and two routes throw, one under <c>/api</c> and one page-like.
/// </summary>
public sealed class ProductionProbeStartupFilter : IStartupFilter
{
    public const string HttpsHeader = "X-Test-Https";
    public const string PublicHost = "portal.example.com";
    public const string ApiThrowPath = "/api/v1/_test/throw";
    public const string PageThrowPath = "/_test/throw";
    public const string ExceptionMessage = "Kaboom: internal detail 7f3c9 must not leak";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.ContainsKey(HttpsHeader))
            {
                context.Request.Scheme = "https";
                context.Request.Host = new HostString(PublicHost);
            }
            return nextMiddleware(context);
        });
        next(app);
        app.UseRouting();
        app.UseEndpoints(endpoints =>
        {
            endpoints.MapGet(ApiThrowPath, ThrowAsync).AllowAnonymous();
            endpoints.MapGet(PageThrowPath, ThrowAsync).AllowAnonymous();
        });
    };

    private static Task<IResult> ThrowAsync() => throw new InvalidOperationException(ExceptionMessage);
}
