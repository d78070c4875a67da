using System.Net;
using System.Text.RegularExpressions;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Security;

namespace TenantPortal.Tests.Web.Security;

/// <summary>Every kind of response carries the security headers: pages, API answers (401 included), health, static files.</summary>
[Collection(PortalCollection.Name)]
public partial class SecurityHeadersTests(PortalAppFactory portal)
{
    public const string ExpectedCsp =
        "default-src 'self'; script-src 'self' 'nonce-NONCE'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    [Theory]
    [InlineData("/", false)]
    [InlineData("/Account/Login", false)]
    [InlineData("/api/v1/usage/current", false)]
    [InlineData("/api/v1/usage/current", true)]
    [InlineData("/health/live", false)]
    [InlineData("/favicon.png", false)]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css", false)]
    [InlineData("/no-such-page", false)]
    public async Task Response_CarriesEverySecurityHeader(string path, bool withKey)
    {
        using var client = withKey ? ApiKeys.ClientFor(portal, PortalAppFactory.DemoApiKey) : portal.CreateBrowserLikeClient();

        using var response = await client.GetAsync(path);

        AssertSecurityHeaders(response);
        if (path.StartsWith("/api", StringComparison.Ordinal))
            Assert.Equal(withKey ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, response.StatusCode);
        // Development over http: no HSTS (ProductionHardeningTests covers HTTPS outside Development).
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task ApiReference_HasItsOwnPolicy_WithInlineScriptsOnlyThere()
    {
        using var client = portal.CreateBrowserLikeClient();

        using var reference = await client.GetAsync("/api/docs/");
        using var document = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(ContentSecurityPolicy.BuildForApiReference(), Header(reference, "Content-Security-Policy"));
        Assert.Equal(ExpectedCsp.Replace("'nonce-NONCE'", "'unsafe-inline'"), Header(reference, "Content-Security-Policy"));
        AssertSecurityHeaders(document);
    }

    [Fact]
    public async Task Page_ImportMapCarriesTheNonceOfItsOwnResponse()
    {
        using var client = portal.CreateBrowserLikeClient();

        using var first = await client.GetAsync("/Account/Login");
        using var second = await client.GetAsync("/Account/Login");

        var nonce = NonceOf(first);
        Assert.NotEqual(nonce, NonceOf(second));
        var html = await first.Content.ReadAsStringAsync();
        Assert.Contains($"<script type=\"importmap\" nonce=\"{nonce}\"", html);
        // The import map is the only inline script: every other script has a src.
        Assert.Single(InlineScript().Matches(html));
    }

    /// <summary>Asserts each header and its value (the CSP's nonce aside).</summary>
    internal static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        var path = response.RequestMessage?.RequestUri?.PathAndQuery;
        var csp = Header(response, "Content-Security-Policy");
        Assert.True(csp is not null, $"{path}: no Content-Security-Policy");
        Assert.Equal(ExpectedCsp, NonceValue().Replace(csp!, "'nonce-NONCE'"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
        Assert.Equal(SecurityHeadersMiddleware.PermissionsPolicy, Header(response, "Permissions-Policy"));
    }

    private static string NonceOf(HttpResponseMessage response)
    {
        var match = NonceValue().Match(Header(response, "Content-Security-Policy")!);
        Assert.True(match.Success);
        return match.Groups[1].Value;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;

    [GeneratedRegex("'nonce-([A-Za-z0-9+/=]+)'")]
    private static partial Regex NonceValue();

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>")]
    private static partial Regex InlineScript();
}
