using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// Test-only additions to the Production app: a request with <c>X-Test-Remote-Ip</c> arrives from that address (the
/// test server has no connection, so its requests come from no address, as over a Unix socket), and two routes throw,
/// one under <c>/api</c> and one page-like.
/// </summary>
public sealed class ProductionProbeStartupFilter : IStartupFilter
{
    public const string RemoteIpHeader = "X-Test-Remote-Ip";
    public const string ApiThrowPath = "/api/v1/_test/throw";
    public const string PageThrowPath = "/_test/throw";
    public const string ExceptionMessage = "Kaboom: internal detail 7f3c9 must not leak";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(RemoteIpHeader, out var address))
                context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(address.ToString());
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
