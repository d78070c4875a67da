using Microsoft.Playwright;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

/// <summary>Headless Chromium on the running portal, with helpers to log in and wait for the interactive shell.</summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    /// <summary>How long a browser test waits for something the portal does (a circuit to start, a navigation), in ms.</summary>
    public const float GenerousTimeout = 30_000;

    private BrowserSession(IPlaywright playwright, IBrowser browser, IPage page, Uri baseAddress) =>
        (_playwright, _browser, Page, _baseAddress) = (playwright, browser, page, baseAddress);

    private readonly Uri _baseAddress;

    public IPage Page { get; }

    public static async Task<BrowserSession> StartAsync(PortalAppFactory portal)
    {
        var chromium = ChromiumLocator.Find();
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ChromiumLocator.Args });
        var page = await browser.NewPageAsync(new() { BaseURL = portal.ServerAddress.ToString(), ViewportSize = new() { Width = 1440, Height = 900 } });
        return new BrowserSession(playwright, browser, page, portal.ServerAddress);
    }

    /// <summary>A page in a browser context of its own (its own cookies), as another browser of the same person would be.</summary>
    public async Task<IPage> NewIsolatedPageAsync()
    {
        var context = await _browser.NewContextAsync(new() { BaseURL = _baseAddress.ToString(), ViewportSize = new() { Width = 1440, Height = 900 } });
        return await context.NewPageAsync();
    }

    /// <summary>Logs in through the form and waits until the page at <paramref name="returnUrl"/> is interactive.</summary>
    public Task LogInAsync(string email, string password, string returnUrl) => LogInAsync(Page, email, password, returnUrl);

    /// <summary>Logs <paramref name="page"/> in through the form and waits until the page at <paramref name="returnUrl"/> is interactive.</summary>
    public static async Task LogInAsync(IPage page, string email, string password, string returnUrl, bool interactive = true)
    {
        await page.GotoAsync($"/Account/Login?ReturnUrl={Uri.EscapeDataString(returnUrl)}");
        await page.FillAsync("[id='Input.Email']", email);
        await page.FillAsync("[id='Input.Password']", password);
        await page.ClickAsync("#login-submit");
        await page.WaitForURLAsync($"**{returnUrl}", new() { Timeout = GenerousTimeout });
        if (interactive)
            await WaitForInteractiveAsync(page);
    }

    /// <summary>Waits for the circuit: the shell marks itself interactive.</summary>
    public Task WaitForInteractiveAsync() => WaitForInteractiveAsync(Page);

    /// <summary>Waits for <paramref name="page"/>'s circuit: the shell marks itself interactive.</summary>
    public static Task WaitForInteractiveAsync(IPage page) =>
        page.Locator("#shell-state[data-interactive='True']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = GenerousTimeout });

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
