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
    public async Task DarkModeToggle_SwitchesTheTheme_AndRemembersItInACookie()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync("viewer@acme.test", PortalAppFactory.DemoPassword, "/t/acme");
        Assert.Equal(LightBackground, await BackgroundAsync(page));

        await page.ClickAsync("#dark-mode-toggle");

        await page.WaitForFunctionAsync($"() => getComputedStyle(document.body).backgroundColor === '{DarkBackground}'");
        await Assertions.Expect(page.Locator("#dark-mode-toggle")).ToHaveAttributeAsync("aria-pressed", "true");
        var cookie = (await page.Context.CookiesAsync()).SingleOrDefault(c => c.Name == ThemeCookie);
        Assert.Equal("dark", cookie?.Value);

        await page.ClickAsync("#dark-mode-toggle");
        await page.WaitForFunctionAsync($"() => getComputedStyle(document.body).backgroundColor === '{LightBackground}'");
        Assert.Equal("light", (await page.Context.CookiesAsync()).Single(c => c.Name == ThemeCookie).Value);
    }

    [Fact]
    public async Task DarkCookie_ThePrerenderedPageIsAlreadyDark_BeforeTheCircuitStarts()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = await PrerenderOnlyPageAsync(session, ColorScheme.Light);
        await BrowserSession.LogInAsync(page, "viewer@acme.test", PortalAppFactory.DemoPassword, "/t/acme", interactive: false);
        await page.Context.AddCookiesAsync([new() { Name = ThemeCookie, Value = "dark", Url = portal.ServerAddress.ToString() }]);

        await page.GotoAsync("/t/acme");

        await Assertions.Expect(page.Locator("#tenant-name")).ToBeVisibleAsync();
        Assert.Equal("False", await page.Locator("#shell-state").GetAttributeAsync("data-interactive"));
        Assert.Equal(DarkBackground, await BackgroundAsync(page));
    }

    [Fact]
    public async Task OsDarkPreference_WithoutACookie_ThePrerenderedPageIsAlreadyDark()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = await PrerenderOnlyPageAsync(session, ColorScheme.Dark);
        await BrowserSession.LogInAsync(page, "viewer@acme.test", PortalAppFactory.DemoPassword, "/t/acme", interactive: false);

        await page.GotoAsync("/t/acme");

        await Assertions.Expect(page.Locator("#tenant-name")).ToBeVisibleAsync();
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == ThemeCookie);
        Assert.Equal(DarkBackground, await BackgroundAsync(page));
    }

    [Fact]
    public async Task OsDarkPreference_ACookieForLight_Wins()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = await PrerenderOnlyPageAsync(session, ColorScheme.Dark);
        await BrowserSession.LogInAsync(page, "viewer@acme.test", PortalAppFactory.DemoPassword, "/t/acme", interactive: false);
        await page.Context.AddCookiesAsync([new() { Name = ThemeCookie, Value = "light", Url = portal.ServerAddress.ToString() }]);

        await page.GotoAsync("/t/acme");

        await Assertions.Expect(page.Locator("#tenant-name")).ToBeVisibleAsync();
        Assert.Equal(LightBackground, await BackgroundAsync(page));
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

    private const string ThemeCookie = "tenantportal.theme";
    private const string LightBackground = "rgb(245, 246, 250)";
    private const string DarkBackground = "rgb(21, 21, 33)";

    // A page of its own context (OS colour scheme as given) whose Blazor script never loads: what it shows is the
    // server's prerendered HTML, as a person sees it before the circuit connects.
    private async Task<IPage> PrerenderOnlyPageAsync(BrowserSession session, ColorScheme scheme)
    {
        var context = await session.Page.Context.Browser!.NewContextAsync(new()
        {
            BaseURL = portal.ServerAddress.ToString(), ViewportSize = new() { Width = 1440, Height = 900 }, ColorScheme = scheme,
        });
        var page = await context.NewPageAsync();
        BrowserSession.UseGenerousTimeouts(page);
        await page.RouteAsync("**/_framework/blazor.web*.js", route => route.AbortAsync());
        return page;
    }

    private static Task<string> BackgroundAsync(IPage page) => page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
}
