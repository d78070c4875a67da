using Microsoft.Playwright;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

/// <summary>Headless Chromium on the running portal, with helpers to log in and wait for the interactive shell.</summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _events = new();
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly Uri _baseAddress;
    private PortalAppFactory _portal = default!;
    private int _logStart;
    private string _test = "";

    private BrowserSession(IPlaywright playwright, IBrowser browser, IPage page, Uri baseAddress) =>
        (_playwright, _browser, Page, _baseAddress) = (playwright, browser, page, baseAddress);

    public IPage Page { get; }

    public static async Task<BrowserSession> StartAsync(PortalAppFactory portal, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var chromium = ChromiumLocator.Find();
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ChromiumLocator.Args });
        var page = await browser.NewPageAsync(new() { BaseURL = portal.ServerAddress.ToString(), ViewportSize = new() { Width = 1440, Height = 900 } });
        UseGenerousTimeouts(page);
        var session = new BrowserSession(playwright, browser, page, portal.ServerAddress) { _portal = portal, _logStart = portal.Logs.Entries.Count, _test = test };
        page.Console += (_, m) => session.Note($"console {m.Type}: {m.Text}");
        page.PageError += (_, e) => session.Note($"pageerror: {e}");
        page.FrameNavigated += (_, f) => { if (f.ParentFrame is null) session.Note($"navigated: {f.Url}"); };
        page.Request += (_, r) => { if (r.IsNavigationRequest) session.Note($"request {r.Method} {r.Url}"); };
        page.WebSocket += (_, ws) => { session.Note($"websocket open {ws.Url}"); ws.Close += (_, _) => session.Note("websocket closed"); };
        return session;
    }

    /// <summary>A page in a browser context of its own (its own cookies), as another browser of the same person would be.</summary>
    public async Task<IPage> NewIsolatedPageAsync()
    {
        var context = await _browser.NewContextAsync(new() { BaseURL = _baseAddress.ToString(), ViewportSize = new() { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        UseGenerousTimeouts(page);
        return page;
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
        await page.ExpectPathAsync(returnUrl);
        if (interactive)
            await WaitForInteractiveAsync(page);
    }

    /// <summary>Waits for the circuit: the shell marks itself interactive.</summary>
    public Task WaitForInteractiveAsync() => WaitForInteractiveAsync(Page);

    /// <summary>Waits for <paramref name="page"/>'s circuit: the shell marks itself interactive.</summary>
    public static Task WaitForInteractiveAsync(IPage page) =>
        page.Locator("#shell-state[data-interactive='True']").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    /// <summary>Every action, navigation and expectation of <paramref name="page"/> waits the tests' one generous timeout (Playwright's expectations default to 5 s).</summary>
    public static void UseGenerousTimeouts(IPage page)
    {
        page.SetDefaultTimeout(TestTimeouts.GenerousMilliseconds);
        page.SetDefaultNavigationTimeout(TestTimeouts.GenerousMilliseconds);
        Assertions.SetDefaultExpectTimeout(TestTimeouts.GenerousMilliseconds);
    }

    /// <summary>Saves a screenshot next to the test assembly (screenshots/NAME), for people to look at.</summary>
    public async Task SaveScreenshotAsync(string name, bool fullPage = false)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        await Page.ScreenshotAsync(new() { Path = Path.Combine(folder, name), FullPage = fullPage });
    }

    private void Note(string text) => _events.Enqueue($"{_clock.Elapsed.TotalSeconds,8:0.000} {text}");

    public async ValueTask DisposeAsync()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "browser-logs");
        Directory.CreateDirectory(folder);
        var portalLog = _portal.Logs.Entries.Skip(_logStart).Where(e => !e.StartsWith("Debug", StringComparison.Ordinal) && !e.StartsWith("Trace", StringComparison.Ordinal));
        await File.WriteAllLinesAsync(Path.Combine(folder, $"{_test}-{Guid.NewGuid():N}.log"), _events.Concat(["--- portal log ---"]).Concat(portalLog));
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
