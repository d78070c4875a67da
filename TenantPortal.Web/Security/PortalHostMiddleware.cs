using TenantPortal.Core.Common;

namespace TenantPortal.Web.Security;

/// <summary>
/// First look at every request's <c>Host</c>. A malformed one (not a host name or address, a bad port, none at all) is
/// a 400 on every path, health included. Otherwise the host is normalized for everything after (lower case, no
/// trailing dot) and kept as the <see cref="RequestHost"/> feature. Outside Development only the portal's own hosts are
/// served: the host of <c>Portal:PublicUrl</c>, <c>{slug}.{Tenancy:RootDomain}</c> and verified custom domains; any
/// other is a 400, except for the probes (<see cref="EdgeProblems.IsProbe"/>), which load balancers call by address.
/// </summary>
public sealed class PortalHostMiddleware(RequestDelegate next, IHostEnvironment environment, PortalAddresses addresses)
{
    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context, TenantHosts tenantHosts)
    {
        // The raw header: Request.Host itself throws on an undecodable punycode name such as "xn--a".
        if (!RequestHost.TryParse(context.Request.Headers.Host.ToString(), out var host))
        {
            await EdgeProblems.WriteAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidHost, "The Host header is malformed",
                "Send the host name (or address) the portal is reached at, with an optional port from 1 to 65535.");
            return;
        }
        context.Request.Host = new HostString(host.Value);
        context.Features.Set(host);
        if (!environment.IsDevelopment() && !EdgeProblems.IsProbe(context.Request.Path) && !await IsServedAsync(host.Name, tenantHosts, context.RequestAborted))
        {
            await EdgeProblems.WriteAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.UnknownHost, "Unknown host",
                $"This portal does not answer on '{host.Name}'; it is at {addresses.PublicUrl}.");
            return;
        }
        await next(context);
    }

    private async ValueTask<bool> IsServedAsync(string host, TenantHosts tenantHosts, CancellationToken cancellationToken) =>
        host == addresses.PublicHost || await tenantHosts.SlugForHostAsync(host, cancellationToken) is not null;
}
