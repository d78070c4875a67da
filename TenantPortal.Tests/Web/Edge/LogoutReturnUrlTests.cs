using System.Net;
using System.Text.RegularExpressions;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Edge;

/// <summary><c>POST /Account/Logout</c> signs out whatever <c>returnUrl</c> says, and only ever redirects to a page of the portal.</summary>
[Collection(PortalCollection.Name)]
public partial class LogoutReturnUrlTests(PortalAppFactory portal)
{
    public static TheoryData<string, string> ReturnUrls() => new()
    {
        { "/\t/evil.example", "/" },
        { "\t//evil.example", "/" },
        { "/\n/evil.example", "/" },
        { "//evil.example", "/evil.example" },
        { "///evil.example", "/evil.example" },
        { "/\\evil.example", "/evil.example" },
        { "\\\\evil.example", "/evil.example" },
        { "https://evil.example/", "/" },
        { "javascript:alert(1)", "/" },
        { "/t/acme\u0001", "/" },
        { "/t/acme\u007f", "/" },
        { "/t/acme\u202e", "/" },
        { "/%09/evil.example", "/%09/evil.example" },
        { "/t/acme/users?tab=1", "/t/acme/users?tab=1" },
        { "invitations/accept?token=abc", "/invitations/accept?token=abc" },
        { "", "/" },
    };

    [Theory]
    [MemberData(nameof(ReturnUrls))]
    public async Task Logout_SignsOut_AndRedirectsToALocalPage_WhateverTheReturnUrl(string returnUrl, string expected)
    {
        using var client = portal.CreateBrowserLikeClient();
        using var login = await AccountClient.LogInAsync(client, "viewer@globex.test", PortalAppFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var page = await client.GetStringAsync("/Account/Manage");
        var token = WebUtility.HtmlDecode(AntiforgeryToken().Match(page).Groups[1].Value);

        using var logout = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["returnUrl"] = returnUrl,
        }));

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(expected, logout.Headers.Location?.OriginalString);
        using var after = await client.GetAsync("/Account/Manage");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/Account/Login", after.Headers.Location?.ToString());
    }

    [Fact]
    public async Task Logout_WithANulInTheForm_IsA400_NotA500()
    {
        using var client = portal.CreateBrowserLikeClient();
        using var login = await AccountClient.LogInAsync(client, "viewer@globex.test", PortalAppFactory.DemoPassword);
        var page = await client.GetStringAsync("/Account/Manage");
        var token = WebUtility.HtmlDecode(AntiforgeryToken().Match(page).Groups[1].Value);

        using var logout = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["returnUrl"] = "/t/acme\u0000",
        }));

        // ASP.NET Core refuses a form body holding a NUL before anything reads it (not even the antiforgery token).
        Assert.Equal(HttpStatusCode.BadRequest, logout.StatusCode);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
