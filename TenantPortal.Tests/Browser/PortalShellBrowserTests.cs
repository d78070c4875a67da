using Microsoft.Playwright;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

[Collection(PortalCollection.Name)]
public class PortalShellBrowserTests(PortalAppFactory portal)
{
    [Fact]
    public async Task DemoOwner_LogsIn_AndSeesThePortalShellOfAcme()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;

        await session.LogInAsync("owner@acme.test", PortalAppFactory.DemoPassword, "/t/acme");
        await page.Locator("#card-api_calls").WaitForAsync();

        Assert.Equal("Acme Corporation", (await page.Locator("#tenant-name").InnerTextAsync()).Trim());
        Assert.Contains("Acme Corporation", await page.Locator("#tenant-switcher").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(4, await page.Locator(".quota-card").CountAsync());
        Assert.True(await page.Locator("#user-menu").IsVisibleAsync());

        await session.SaveScreenshotAsync("acme-overview.png", fullPage: true);
    }

    [Fact]
    public async Task TenantSwitcher_TakesTheUserToTheirOtherTenant()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync("owner@acme.test", PortalAppFactory.DemoPassword, "/t/acme");

        await page.ClickAsync("#tenant-switcher button");
        await page.ClickAsync("#switch-globex");

        await page.ExpectPathAsync("/t/globex");
        await Assertions.Expect(page.Locator("#tenant-name")).ToHaveTextAsync("Globex");
        await Assertions.Expect(page.Locator("#trial-banner")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task DarkModeToggle_SwitchesTheThemeAndIsRemembered()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync("viewer@acme.test", PortalAppFactory.DemoPassword, "/t/acme");
        var lightBackground = await BackgroundAsync(page);

        await page.ClickAsync("#dark-mode-toggle");
        await page.WaitForFunctionAsync("() => localStorage.getItem('tenantportal.darkMode') === 'true'");
        var darkBackground = await BackgroundAsync(page);
        await page.ReloadAsync();
        await session.WaitForInteractiveAsync();
        await page.WaitForFunctionAsync($"() => getComputedStyle(document.body).backgroundColor !== '{lightBackground}'");

        Assert.NotEqual(lightBackground, darkBackground);
    }

    [Fact]
    public async Task LogOut_FromTheUserMenu_EndsTheSession()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync("member@globex.test", PortalAppFactory.DemoPassword, "/t/globex");

        await page.ClickAsync("#user-menu button");
        await page.ClickAsync("#logout");

        // The log-in page: where the sign-out goes, and where the page's circuit goes if the menu's pointer events reach
        // it after the session ended (it used to land on the home page or the log-in page, whichever came last).
        await page.ExpectPathAsync("/Account/Login");
        await Assertions.Expect(page.Locator("[id='Input.Email']")).ToBeVisibleAsync();
        var response = await page.GotoAsync("/t/globex");
        Assert.Contains("/Account/Login", page.Url);
        Assert.NotNull(response);
    }

    private static Task<string> BackgroundAsync(IPage page) => page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
}
