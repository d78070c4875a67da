using System.Net;
using Microsoft.Extensions.Options;
using Prometheus;
using TenantPortal.Core.Authorization;
using TenantPortal.Web.Options;

namespace TenantPortal.Web.Observability;

/// <summary>
/// <c>/metrics</c> in Prometheus text. It names tenants and their usage, so it answers loopback requests (a local agent),
/// operators, and scrapers presenting <c>Metrics:ScrapeToken</c> as a bearer token; anyone else gets 404.
/// </summary>
public static class MetricsEndpoint
{
    /// <summary>Maps <c>/metrics</c>.</summary>
    public static IEndpointRouteBuilder MapPortalMetrics(this IEndpointRouteBuilder app)
    {
        var metrics = app.ServiceProvider.GetRequiredService<PortalMetrics>();
        var pipeline = app.CreateApplicationBuilder().UseMetricServer(settings => settings.Registry = metrics.Registry, url: null).Build();
        app.Map("/metrics", async context =>
        {
            if (!IsAllowed(context))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            await pipeline(context);
        });
        return app;
    }

    internal static bool IsAllowed(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip))
            return true;
        if (context.User.IsInRole(PortalRoles.Operator))
            return true;
        var token = context.RequestServices.GetRequiredService<IOptions<MetricsOptions>>().Value.ScrapeToken;
        var presented = context.Request.Headers.Authorization.ToString();
        return !string.IsNullOrEmpty(token) && presented.StartsWith("Bearer ", StringComparison.Ordinal)
            && Core.Common.SecretHasher.FixedTimeEquals(Core.Common.SecretHasher.Sha256Hex(presented[7..].Trim()), Core.Common.SecretHasher.Sha256Hex(token));
    }
}
