using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Security;

namespace TenantPortal.Tests.Web.Security;

/// <summary>What production shows: errors without internals, HSTS on HTTPS, cookies that are Secure on HTTPS.</summary>
public class ProductionHardeningTests(ProductionPortalFactory production) : IClassFixture<ProductionPortalFactory>
{
    [Fact]
    public async Task ApiError_IsAProblemBody_WithoutExceptionTypeMessageOrStack()
    {
        using var client = production.CreateClient();

        using var response = await client.GetAsync(ProductionProbeStartupFilter.ApiThrowPath);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        AssertNoInternals(body);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(500, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(ApiExceptionHandler.Title, problem.RootElement.GetProperty("title").GetString());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("traceId").GetString()));
        SecurityHeadersTests.AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task PageError_IsTheErrorPage_WithoutExceptionTypeMessageOrStack()
    {
        using var client = production.CreateClient();

        using var response = await client.GetAsync(ProductionProbeStartupFilter.PageThrowPath);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("Something went wrong", body);
        AssertNoInternals(body);
        SecurityHeadersTests.AssertSecurityHeaders(response);
    }

    [Theory]
    [InlineData("/Account/PerformExternalLogin", null)]
    [InlineData("/Account/PerformExternalLogin", "application/x-www-form-urlencoded")]
    [InlineData("/Account/Logout", "application/x-www-form-urlencoded")]
    [InlineData("/Account/Login", null)]
    [InlineData("/Account/Login", "multipart/form-data")]
    public async Task FormPost_WithoutAnAntiforgeryToken_IsA400_NotA500(string path, string? contentType)
    {
        using var client = production.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = new Uri(ProductionPortalFactory.PublicUrl) });
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (contentType is not null)
            request.Content = new StringContent("a=b", System.Text.Encoding.UTF8, contentType);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task HttpsResponse_CarriesHsts_ForAYear_WithoutSubdomains()
    {
        using var client = production.CreateClient();

        using var https = await client.GetAsync("/health/live");
        using var http = await client.GetAsync($"http://{ProductionPortalFactory.PublicHost}/health/live");

        Assert.Equal("max-age=31536000", string.Join(",", https.Headers.GetValues("Strict-Transport-Security")));
        // Plain http (and localhost) never gets it: browsers ignore HSTS there and it would pin developers' machines.
        Assert.False(http.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Cookies_AreSecure_OnHttps_OutsideDevelopment()
    {
        using var client = production.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = new Uri(ProductionPortalFactory.PublicUrl) });

        using var login = await client.GetAsync("/Account/Login");

        var antiforgery = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        Assert.Contains("secure", CookieSecurityTests.Attributes(antiforgery));
        var cookies = production.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>();
        foreach (var scheme in CookieSecurityTests.IdentitySchemes)
            // SameAsRequest: Secure on every HTTPS response; plain HTTP reaches the portal only as a local try (PlainHttpTests).
            Assert.Equal((true, SameSiteMode.Lax, CookieSecurePolicy.SameAsRequest), (cookies.Get(scheme).Cookie.HttpOnly, cookies.Get(scheme).Cookie.SameSite, cookies.Get(scheme).Cookie.SecurePolicy));
    }

    private static void AssertNoInternals(string body)
    {
        Assert.DoesNotContain(ProductionProbeStartupFilter.ExceptionMessage, body);
        Assert.DoesNotContain("Kaboom", body);
        Assert.DoesNotContain("InvalidOperationException", body);
        Assert.DoesNotContain("ProductionProbeStartupFilter", body);
        Assert.DoesNotContain("   at ", body);
        Assert.DoesNotContain(".cs:line", body);
    }
}
