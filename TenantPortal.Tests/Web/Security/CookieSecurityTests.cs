using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Security;

/// <summary>The sign-in and antiforgery cookies: HttpOnly, SameSite, and Secure as the environment asks.</summary>
[Collection(PortalCollection.Name)]
public class CookieSecurityTests(PortalAppFactory portal)
{
    public static readonly string[] IdentitySchemes =
    [
        IdentityConstants.ApplicationScheme, IdentityConstants.ExternalScheme,
        IdentityConstants.TwoFactorUserIdScheme, IdentityConstants.TwoFactorRememberMeScheme,
    ];

    [Fact]
    public async Task LogIn_SetsHttpOnlyLaxCookie_AndAStrictAntiforgeryCookie()
    {
        using var client = portal.CreateBrowserLikeClient();

        using var form = await client.GetAsync("/Account/Login");
        var antiforgery = SetCookie(form, ".AspNetCore.Antiforgery.");
        using var login = await AccountClient.LogInAsync(client, "owner@acme.test", PortalAppFactory.DemoPassword);
        var session = SetCookie(login, ".AspNetCore.Identity.Application=");

        Assert.Contains("httponly", Attributes(antiforgery));
        Assert.Contains("samesite=strict", Attributes(antiforgery));
        Assert.Contains("httponly", Attributes(session));
        Assert.Contains("samesite=lax", Attributes(session));
        // Development over http (SameAsRequest): not Secure here; ProductionHardeningTests checks Always.
        Assert.DoesNotContain("secure", Attributes(session));
    }

    [Fact]
    public void EveryIdentityCookie_IsHttpOnlyLaxAndSameAsRequestInDevelopment()
    {
        var cookies = portal.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>();
        foreach (var scheme in IdentitySchemes)
        {
            var cookie = cookies.Get(scheme).Cookie;
            Assert.True(cookie.HttpOnly, scheme);
            Assert.Equal(SameSiteMode.Lax, cookie.SameSite);
            Assert.Equal(CookieSecurePolicy.SameAsRequest, cookie.SecurePolicy);
        }
        var antiforgery = portal.Services.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.Cookie;
        Assert.Equal((true, SameSiteMode.Strict, CookieSecurePolicy.SameAsRequest), (antiforgery.HttpOnly, antiforgery.SameSite, antiforgery.SecurePolicy));
    }

    /// <summary>The attributes of a Set-Cookie value (lower case), without the name=value pair.</summary>
    internal static string[] Attributes(string setCookie) => setCookie.ToLowerInvariant().Split(';').Skip(1).Select(a => a.Trim()).ToArray();

    private static string SetCookie(HttpResponseMessage response, string namePrefix)
    {
        Assert.True(response.Headers.TryGetValues("Set-Cookie", out var cookies), "no Set-Cookie");
        var cookie = cookies.FirstOrDefault(c => c.StartsWith(namePrefix, StringComparison.Ordinal));
        Assert.True(cookie is not null, $"no {namePrefix} cookie in: {string.Join(" | ", cookies)}");
        return cookie!.ToLowerInvariant();
    }
}
