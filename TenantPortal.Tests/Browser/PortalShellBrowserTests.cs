using Microsoft.Playwright;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

[Collection(PortalCollection.Name)]
public class PortalShellBrowserTests(PortalAppFactory portal)
{
    [Fact]
    public async Task DemoOwner_LogsIn_AndSeesThePortalShellOfAcme()
    {
        var chromium = ChromiumLocator.Find();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ChromiumLocator.Args });
        var page = await browser.NewPageAsync(new() { BaseURL = portal.ServerAddress.ToString(), ViewportSize = new() { Width = 1440, Height = 900 } });

        await page.GotoAsync("/Account/Login?ReturnUrl=%2Ft%2Facme");
        await page.FillAsync("[id='Input.Email']", "owner@acme.test");
        await page.FillAsync("[id='Input.Password']", PortalAppFactory.DemoPassword);
        await page.ClickAsync("#login-submit");
        await page.WaitForURLAsync("**/t/acme");
        // Wait for the circuit: the shell marks itself interactive.
        await page.Locator("#shell-state[data-interactive='True']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        await page.Locator(".usage-bar").First.WaitForAsync();

        Assert.Equal("Acme Corporation", (await page.Locator("#tenant-name").InnerTextAsync()).Trim());
        Assert.Contains("Acme Corporation", await page.Locator("#tenant-switcher").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(5, await page.Locator(".usage-bar").CountAsync());
        Assert.True(await page.Locator("#user-menu").IsVisibleAsync());

        var screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "acme-overview.png"), FullPage = true });
    }
}
