using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Edge;

/// <summary>
/// The Docker quick start: Production with <c>Portal:PublicUrl</c> <c>http://localhost:8080</c>. Inside a container the
/// browser's connection does not come from loopback but from the Docker bridge, so the declared public address is what
/// makes plain HTTP a local try; it serves that host only, like any public address.
/// </summary>
public class PlainHttpPublicUrlTests(PlainHttpPublicUrlTests.LocalTryPortal portal) : IClassFixture<PlainHttpPublicUrlTests.LocalTryPortal>
{
    private const string DockerBridge = "172.17.0.1";

    [Fact]
    public async Task LogIn_WorksOverPlainHttp_FromTheDockerBridge()
    {
        using var client = Client();

        using var page = await client.GetAsync("/Account/Login");
        using var login = await AccountClient.LogInAsync(client, PortalAppFactory.OperatorEmail, PortalAppFactory.OperatorPassword, "/Account/Manage");
        using var manage = await client.GetAsync("/Account/Manage");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal(new Uri(LocalTryPortal.PublicUrl + "/Account/Manage"), login.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, manage.StatusCode);
        Assert.Contains(PortalAppFactory.OperatorEmail, await manage.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnotherHost_OverPlainHttp_IsStillNotServed()
    {
        using var client = Client();
        client.DefaultRequestHeaders.Host = "192.0.2.10:8080";

        using var response = await client.GetAsync("/Account/Login");

        await ApiResponses.AssertProblemAsync(response, HttpStatusCode.BadRequest, "unknown_host");
    }

    private HttpClient Client()
    {
        var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri(LocalTryPortal.PublicUrl) });
        client.DefaultRequestHeaders.Add(ProductionProbeStartupFilter.RemoteIpHeader, DockerBridge);
        return client;
    }

    /// <summary>The Production portal at the quick start's plain-http public address.</summary>
    public sealed class LocalTryPortal : ProductionPortalFactory
    {
        public new const string PublicUrl = "http://localhost:8080";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Portal:PublicUrl", PublicUrl);
        }
    }
}
