using System.Net;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Tests.Web.Security;

namespace TenantPortal.Tests.Web.Edge;

/// <summary>
/// Production over plain HTTP: from loopback (a local try, a health probe on the box) the portal works, log-in included,
/// with cookies that can travel over HTTP; from anywhere else it answers with a page (a problem body for /api) saying
/// that it needs HTTPS and which settings give it, instead of a 500 at the first antiforgery token.
/// </summary>
public class PlainHttpTests(KestrelProductionPortalFactory production) : IClassFixture<KestrelProductionPortalFactory>
{
    private const string RemoteClient = "203.0.113.9";

    [Fact]
    public async Task LogIn_WorksOverPlainHttp_FromLoopback()
    {
        var cookies = new CookieContainer();
        using var client = production.CreatePublicHostClient(cookies);

        using var page = await client.GetAsync("/Account/Login");
        using var login = await AccountClient.LogInAsync(client, PortalAppFactory.OperatorEmail, PortalAppFactory.OperatorPassword, "/Account/Manage");
        using var manage = await client.GetAsync("/Account/Manage");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal(HttpStatusCode.OK, manage.StatusCode);
        Assert.Contains(PortalAppFactory.OperatorEmail, await manage.Content.ReadAsStringAsync());
        // Over HTTP a Secure cookie would never come back: these are sent on this connection only because it is loopback.
        Assert.All(login.Headers.GetValues("Set-Cookie"), c => Assert.DoesNotContain("secure", CookieSecurityTests.Attributes(c)));
    }

    [Theory]
    [InlineData("/Account/Login")]
    [InlineData("/")]
    [InlineData("/t/acme")]
    public async Task APage_OverPlainHttp_FromAnotherMachine_SaysThePortalNeedsHttps(string path)
    {
        using var client = production.CreatePublicHostClient();
        client.DefaultRequestHeaders.Add(ProductionProbeStartupFilter.RemoteIpHeader, RemoteClient);

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("needs HTTPS", page);
        Assert.Contains("ForwardedHeaders:KnownProxies", page);
        Assert.Contains("Kestrel", page);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        SecurityHeadersTests.AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task AnApiCall_OverPlainHttp_FromAnotherMachine_IsAProblemNamingTheSettings()
    {
        using var client = production.CreatePublicHostClient();
        client.DefaultRequestHeaders.Add(ProductionProbeStartupFilter.RemoteIpHeader, RemoteClient);

        using var response = await client.GetAsync("/api/v1/tenant");

        await ApiResponses.AssertProblemAsync(response, HttpStatusCode.Forbidden, "https_required");
        Assert.Contains("ForwardedHeaders:KnownProxies", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Loopback_ThatCarriesAnUntrustedForwardedProto_IsAProxyNotALocalTry()
    {
        using var client = production.CreatePublicHostClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        using var response = await client.GetAsync("/Account/Login");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("ForwardedHeaders:KnownProxies", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task HealthProbes_AnswerOverPlainHttp_FromAnywhere(string path)
    {
        using var client = production.CreatePublicHostClient();
        client.DefaultRequestHeaders.Add(ProductionProbeStartupFilter.RemoteIpHeader, RemoteClient);

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
