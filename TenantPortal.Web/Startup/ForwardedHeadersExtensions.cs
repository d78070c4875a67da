using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using TenantPortal.Web.Options;

namespace TenantPortal.Web.Startup;

/// <summary>
/// Behind a load balancer that terminates TLS: the client's address and scheme from <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c>, believed only from the proxies named in <c>ForwardedHeaders:KnownProxies</c> /
/// <c>KnownNetworks</c>. The request's scheme then decides secure cookies, HSTS and absolute links, and the client
/// address the rate limiter's anonymous partitions.
/// </summary>
public static class ForwardedHeadersExtensions
{
    /// <summary>Binds <see cref="TrustedProxyOptions"/> (validated at start-up) and the forwarded-headers middleware's options from it.</summary>
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services)
    {
        services.AddOptions<TrustedProxyOptions>().BindConfiguration(TrustedProxyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TrustedProxyOptions>>((options, trusted) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the configured proxies: the default (loopback) is replaced, never widened to everyone.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in trusted.Value.KnownProxies)
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in trusted.Value.KnownNetworks)
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        return services;
    }

    /// <summary>Reads forwarded headers first in the pipeline when a trusted proxy is configured.</summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetRequiredService<IOptions<TrustedProxyOptions>>().Value.Enabled)
            app.UseForwardedHeaders();
        return app;
    }
}
