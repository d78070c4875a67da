using Microsoft.Playwright;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

[Collection(PortalCollection.Name)]
public class AccountBrowserTests(PortalAppFactory portal)
{
    [Fact]
    public async Task Register_SignsTheNewUserIn_AndSaysTheyHaveNoWorkspaceYet()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        var email = $"new-{Guid.NewGuid():N}@example.test";

        await page.GotoAsync("/Account/Register");
        await session.SaveScreenshotAsync("register.png");
        await page.FillAsync("[id='Input.Email']", email);
        await page.FillAsync("[id='Input.Password']", "Brand-New-Pass-1");
        await page.FillAsync("[id='Input.ConfirmPassword']", "Brand-New-Pass-1");
        await page.ClickAsync("#register-submit");

        await session.WaitForInteractiveAsync();
        await Assertions.Expect(page.Locator("#no-workspaces")).ToBeVisibleAsync();
        Assert.Contains(email, await page.Locator("#user-menu").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Register_RefusesAShortPassword_WithAMessage()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;

        await page.GotoAsync("/Account/Register");
        await page.FillAsync("[id='Input.Email']", $"short-{Guid.NewGuid():N}@example.test");
        await page.FillAsync("[id='Input.Password']", "Short-1");
        await page.FillAsync("[id='Input.ConfirmPassword']", "Short-1");
        await page.ClickAsync("#register-submit");

        await Assertions.Expect(page.Locator(".validation-message", new() { HasTextString = "at least 12" })).ToBeVisibleAsync();
        Assert.Contains("/Account/Register", page.Url);
    }

    [Fact]
    public async Task LoginPage_LooksLikeThePortal()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;

        await page.GotoAsync("/Account/Login");

        await Assertions.Expect(page.Locator("h1")).ToHaveCountAsync(1);
        Assert.EndsWith(" · TenantPortal", await page.TitleAsync());
        Assert.True(await page.Locator(".mud-paper").CountAsync() > 0, "The log-in page is not laid out with MudBlazor.");
        await session.SaveScreenshotAsync("login.png");
    }
}
