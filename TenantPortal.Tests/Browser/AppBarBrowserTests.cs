using Microsoft.Playwright;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

/// <summary>The shell around every page: landmarks and headings, the app bar on a phone, and what operators see in it.</summary>
[Collection(PortalCollection.Name)]
public class AppBarBrowserTests(PortalAppFactory portal)
{
    [Fact]
    public async Task Page_HasOneMainLandmark_WithTheTenantHeading_AndASkipLinkToIt()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync("owner@acme.test", PortalAppFactory.DemoPassword, "/t/acme/usage");

        await Assertions.Expect(page.Locator("main")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("main h1#tenant-name")).ToHaveTextAsync("Acme Corporation");
        // Nothing in the app bar is a heading, so the page's first heading is its h1.
        await Assertions.Expect(page.Locator(".mud-appbar :is(h1, h2, h3, h4, h5, h6)")).ToHaveCountAsync(0);
        Assert.Equal("H1", await page.EvaluateAsync<string>("() => document.querySelector('h1, h2, h3, h4, h5, h6').tagName"));

        // The skip link is the first thing the keyboard reaches, out of sight until it has the focus.
        var skip = page.Locator("a.skip-link");
        Assert.Equal("skip-link", await page.EvaluateAsync<string>(
            "() => document.querySelector('a[href], button, input, [tabindex]:not([tabindex=\"-1\"])').className"));
        await Assertions.Expect(skip).Not.ToBeInViewportAsync();
        await skip.FocusAsync();
        await Assertions.Expect(skip).ToBeInViewportAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.ExpectPathAsync("/t/acme/usage");
        await Assertions.Expect(page.Locator("main")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task AppBar_OnAPhone_KeepsEveryControlOnScreen_AndTheWorkspaceNameOnOneLine()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await page.SetViewportSizeAsync(390, 844);
        await session.LogInAsync("owner@acme.test", PortalAppFactory.DemoPassword, "/t/acme");

        foreach (var selector in new[] { "#dark-mode-toggle", "#notification-bell button", "#user-menu button", "#tenant-switcher button" })
        {
            var box = await page.Locator(selector).BoundingBoxAsync();
            Assert.True(box is not null, $"{selector} is not rendered");
            Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"{selector} spans x = {box.X:0}–{box.X + box.Width:0} px, outside the 390 px viewport");
        }
        var outside = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('.mud-appbar button, .mud-appbar a')].filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.left < 0 || r.right > 390); }).map(e => `${e.id || e.getAttribute('aria-label') || e.className} at x = ${Math.round(e.getBoundingClientRect().left)}–${Math.round(e.getBoundingClientRect().right)}`)");
        Assert.Empty(outside);
        Assert.True(await page.EvaluateAsync<bool>("() => document.querySelector('.mud-appbar').scrollWidth <= 390"));
        // One line: the app bar keeps its height and the switcher's button is a single row.
        Assert.True((await page.Locator(".mud-appbar").BoundingBoxAsync())!.Height <= 64);
        Assert.True((await page.Locator("#tenant-switcher button").BoundingBoxAsync())!.Height <= 48);
        await session.SaveScreenshotAsync("phone-appbar.png");

        await page.ClickAsync("#user-menu button");
        await Assertions.Expect(page.Locator("#logout")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AppBar_AtDesktopWidth_ShowsTheWorkspaceNameAndTheEmail()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync("owner@acme.test", PortalAppFactory.DemoPassword, "/t/acme");

        await Assertions.Expect(page.Locator("#tenant-switcher button")).ToHaveTextAsync("Acme Corporation");
        Assert.True((await page.Locator("#tenant-switcher button").BoundingBoxAsync())!.Width > 120);
        Assert.True((await page.Locator("#user-menu button").BoundingBoxAsync())!.Width > 120);
    }

    [Fact]
    public async Task Operator_SeesNoWorkspaceItems_InTheAppBarOrTheDrawer()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync(PortalAppFactory.OperatorEmail, PortalAppFactory.OperatorPassword, "/ops/tenants");

        await Assertions.Expect(page.Locator("#user-menu button")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#tenant-switcher")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".mud-appbar")).Not.ToContainTextAsync("Workspaces");
        await Assertions.Expect(page.Locator(".mud-drawer a[href='tenants/new'], .mud-drawer a[href$='/tenants/new']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".mud-drawer")).Not.ToContainTextAsync("New workspace");
        await Assertions.Expect(page.Locator(".mud-drawer a[href='ops/tenants'], .mud-drawer a[href$='/ops/tenants']")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task NotificationBell_IsOneButton_NotAButtonInsideAButton()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync("owner@acme.test", PortalAppFactory.DemoPassword, "/t/acme");

        var nested = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('.mud-appbar :is(button, a, [role=button], [tabindex]:not([tabindex=\"-1\"]))')]" +
            ".filter(e => e.parentElement.closest('button, a, [role=button], [tabindex]:not([tabindex=\"-1\"])') && e.parentElement.closest('.mud-appbar')).map(e => e.outerHTML.slice(0, 120))");
        Assert.Empty(nested);

        await page.ClickAsync("#notification-bell button");
        await Assertions.Expect(page.Locator("#notifications-mark-all")).ToBeVisibleAsync();
        // Everything a menu holds is a menu item (axe: a menu may only own menu items).
        var notItems = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('[role=menu] :is(button, a, input, [tabindex]:not([tabindex=\"-1\"]))')].filter(e => !e.closest('[role=menuitem]')).map(e => e.outerHTML.slice(0, 120))");
        Assert.Empty(notItems);
    }
}
