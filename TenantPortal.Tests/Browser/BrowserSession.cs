using Microsoft.Playwright;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

/// <summary>Headless Chromium on the running portal, with helpers to log in and wait for the interactive shell.</summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private BrowserSession(IPlaywright playwright, IBrowser browser, IPage page) => (_playwright, _browser, Page) = (playwright, browser, page);

    public IPage Page { get; }

    public static async Task<BrowserSession> StartAsync(PortalAppFactory portal)
    {
        var chromium = ChromiumLocator.Find();
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ChromiumLocator.Args });
        var page = await browser.NewPageAsync(new() { BaseURL = portal.ServerAddress.ToString(), ViewportSize = new() { Width = 1440, Height = 900 } });
        return new BrowserSession(playwright, browser, page);
    }

    /// <summary>Logs in through the form and waits until the page at <paramref name="returnUrl"/> is interactive.</summary>
    public async Task LogInAsync(string email, string password, string returnUrl)
    {
        await Page.GotoAsync($"/Account/Login?ReturnUrl={Uri.EscapeDataString(returnUrl)}");
        await Page.FillAsync("[id='Input.Email']", email);
        await Page.FillAsync("[id='Input.Password']", password);
        await Page.ClickAsync("#login-submit");
        await Page.WaitForURLAsync($"**{returnUrl}");
        await WaitForInteractiveAsync();
    }

    /// <summary>Waits for the circuit: the shell marks itself interactive.</summary>
    public Task WaitForInteractiveAsync() =>
        Page.Locator("#shell-state[data-interactive='True']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });

    /// <summary>Saves a screenshot next to the test assembly (screenshots/NAME), for people to look at.</summary>
    public async Task SaveScreenshotAsync(string name, bool fullPage = false)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        await Page.ScreenshotAsync(new() { Path = Path.Combine(folder, name), FullPage = fullPage });
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
