using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// <see cref="ProductionPortalFactory"/> on a real port (Kestrel on 127.0.0.1, plain HTTP): for what only a real server
/// shows — host names the test server's client can't send, the <c>Server</c> header, requests over plain HTTP from
/// loopback. <see cref="ServerAddress"/> is where it listens; send <c>Host: portal.example.com</c> (the public host).
/// </summary>
public class KestrelProductionPortalFactory : ProductionPortalFactory
{
    /// <summary>The address Kestrel listens on, e.g. http://127.0.0.1:41234/.</summary>
    public Uri ServerAddress { get; private set; } = default!;

    public override Task InitializeAsync()
    {
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        ServerAddress = new Uri(addresses.First().Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1") + "/");
        return Task.CompletedTask;
    }

    /// <summary>A client of the real server on the public host (over plain HTTP from loopback) that keeps cookies and does not follow redirects.</summary>
    public HttpClient CreatePublicHostClient(System.Net.CookieContainer? cookies = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies ?? new(), UseCookies = true })
        {
            BaseAddress = ServerAddress,
        };
        client.DefaultRequestHeaders.Host = PublicHost;
        return client;
    }
}
