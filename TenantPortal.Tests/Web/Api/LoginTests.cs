using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Data.Identity;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Api;

[Collection(PortalCollection.Name)]
public class LoginTests(PortalAppFactory portal)
{
    [Fact]
    public async Task LogIn_WithADemoUser_SetsTheCookieAndOpensTheirTenant()
    {
        using var client = portal.CreateBrowserLikeClient();

        var login = await AccountClient.LogInAsync(client, "owner@acme.test", PortalAppFactory.DemoPassword, "/t/acme");

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/t/acme", PathOf(login));
        var page = await client.GetAsync("/t/acme");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Acme Corporation", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task LogIn_WithAWrongPassword_StaysOnTheFormWithAMessage()
    {
        using var client = portal.CreateBrowserLikeClient();

        var login = await AccountClient.LogInAsync(client, "viewer@globex.test", "wrong-password");

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("Invalid login attempt", await login.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task LogIn_LocksTheAccountOut_AfterFiveFailures()
    {
        using var client = portal.CreateBrowserLikeClient();
        for (var i = 0; i < 5; i++)
            await AccountClient.LogInAsync(client, "member@initech.test", "wrong-password");

        var sixth = await AccountClient.LogInAsync(client, "member@initech.test", PortalAppFactory.DemoPassword);

        Assert.Equal(HttpStatusCode.Redirect, sixth.StatusCode);
        Assert.StartsWith("/Account/Lockout", PathOf(sixth));
        using var scope = portal.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        Assert.True(await users.IsLockedOutAsync((await users.FindByEmailAsync("member@initech.test"))!));
    }

    [Fact]
    public async Task TenantPage_ShowsNotFound_ToAUserOfAnotherTenant()
    {
        using var client = portal.CreateBrowserLikeClient();
        await AccountClient.LogInAsync(client, "owner@initech.test", PortalAppFactory.DemoPassword);

        var response = await client.GetAsync("/t/acme");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("page-not-found", page);
        Assert.DoesNotContain("Acme Corporation", page);
    }

    private static string PathOf(HttpResponseMessage redirect)
    {
        var location = redirect.Headers.Location!;
        return location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
    }
}
