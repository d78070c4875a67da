using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TenantPortal.Web.Options;
using TenantPortal.Web.Startup;

namespace TenantPortal.Tests.Web.Deployment;

/// <summary>TLS ends at the load balancer: its X-Forwarded-* headers count only when it is a configured proxy.</summary>
public class ForwardedHeadersTests
{
    [Fact]
    public async Task FromAConfiguredProxyNetwork_TheClientsSchemeAndAddressAreUsed()
    {
        await using var app = await StartAsync(new() { ["ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/8" });

        Assert.Equal("https 203.0.113.7", await RequestAsync(app, from: "10.1.2.3"));
    }

    [Fact]
    public async Task FromAConfiguredProxyAddress_TheClientsSchemeAndAddressAreUsed()
    {
        await using var app = await StartAsync(new() { ["ForwardedHeaders:KnownProxies:0"] = "192.0.2.10" });

        Assert.Equal("https 203.0.113.7", await RequestAsync(app, from: "192.0.2.10"));
    }

    [Fact]
    public async Task FromAnyOtherAddress_OrWithNoProxyConfigured_ForwardedHeadersAreIgnored()
    {
        await using var configured = await StartAsync(new() { ["ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/8" });
        await using var unconfigured = await StartAsync([]);

        Assert.Equal("http 198.51.100.20", await RequestAsync(configured, from: "198.51.100.20"));
        Assert.Equal("http 10.1.2.3", await RequestAsync(unconfigured, from: "10.1.2.3"));
    }

    [Theory]
    [InlineData("ForwardedHeaders:KnownProxies:0", "proxy.local", "ForwardedHeaders:KnownProxies:0 'proxy.local' is not an IP address")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.0", "ForwardedHeaders:KnownNetworks:0 '10.0.0.0' is not a network in CIDR notation (e.g. 10.0.0.0/8)")]
    public async Task ABadProxySetting_StopsTheStart_NamingTheKey(string key, string value, string message)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(new() { [key] = value }));

        Assert.True(StartupErrors.TryDescribe(failure, out var line));
        Assert.Equal($"Invalid setting: {message}", line);
    }

    // The portal's forwarded-headers wiring in a minimal app; the test's "connection" comes from X-Test-Remote-Address.
    private static async Task<WebApplication> StartAsync(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddTrustedProxies();
        var app = builder.Build();
        app.Use((context, next) =>
        {
            context.Connection.RemoteIpAddress = IPAddress.Parse(context.Request.Headers["X-Test-Remote-Address"]!);
            return next(context);
        });
        app.UseTrustedProxies();
        app.MapGet("/", (HttpContext context) => $"{context.Request.Scheme} {context.Connection.RemoteIpAddress}");
        await app.StartAsync();
        return app;
    }

    private static async Task<string> RequestAsync(WebApplication app, string from)
    {
        using var client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Test-Remote-Address", from);
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await client.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }
}
