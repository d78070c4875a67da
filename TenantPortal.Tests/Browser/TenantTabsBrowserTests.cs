using Microsoft.Playwright;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

[Collection(PortalCollection.Name)]
public class TenantTabsBrowserTests(PortalAppFactory portal)
{
    [Fact]
    public async Task DeepLink_SelectsItsTab_AndClickingATab_ChangesTheAddress()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync("owner@acme.test", PortalAppFactory.DemoPassword, "/t/acme/settings");

        await Assertions.Expect(page.Locator("#tenant-details")).ToBeVisibleAsync();
        await Assertions.Expect(ActiveTab(page)).ToHaveAttributeAsync("id", "tab-settings");
        await session.SaveScreenshotAsync("acme-settings.png", fullPage: true);

        await page.ClickAsync("#tab-users");

        await page.ExpectPathAsync("/t/acme/users");
        await Assertions.Expect(page.Locator("#members-table tr[data-email='member@acme.test']")).ToBeVisibleAsync();
        await Assertions.Expect(ActiveTab(page)).ToHaveAttributeAsync("id", "tab-users");
        await session.SaveScreenshotAsync("acme-users.png", fullPage: true);

        await page.GoBackAsync();
        await page.ExpectPathAsync("/t/acme/settings");
        await Assertions.Expect(ActiveTab(page)).ToHaveAttributeAsync("id", "tab-settings");
    }

    [Fact]
    public async Task Usage_ShowsItsBarsAndChart_AndBillingShowsThePlanAndInvoices()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync("admin@acme.test", PortalAppFactory.DemoPassword, "/t/acme/usage");

        await Assertions.Expect(page.Locator("#usage-chart")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".usage-bar")).ToHaveCountAsync(5);
        await session.SaveScreenshotAsync("acme-usage-admin.png");

        await page.ClickAsync("#tab-billing");
        await page.ExpectPathAsync("/t/acme/billing");
        await Assertions.Expect(page.Locator("#current-plan")).ToHaveAttributeAsync("data-tier", "Professional");
        await Assertions.Expect(page.Locator(".invoice-row").First).ToBeVisibleAsync();
        // An admin sees the owner's actions, disabled.
        await Assertions.Expect(page.Locator("#change-plan")).ToBeDisabledAsync();
        await session.SaveScreenshotAsync("acme-billing.png");
    }

    [Fact]
    public async Task Viewer_SeesNeitherUsersNorBilling_AndIsToldWhenOpeningThem()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync("viewer@acme.test", PortalAppFactory.DemoPassword, "/t/acme");

        await Assertions.Expect(page.Locator("#tab-overview")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#tab-settings")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#tab-users")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#tab-billing")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#nav-users")).ToHaveCountAsync(0);

        await page.GotoAsync("/t/acme/users");
        await session.WaitForInteractiveAsync();

        await Assertions.Expect(page.Locator("#tab-not-allowed")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#members-table")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Viewer_OnAPageWithoutItsTab_SeesNoTabHighlighted_AndOnSettings_SeesSettingsHighlighted()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync("viewer@acme.test", PortalAppFactory.DemoPassword, "/t/acme/users");

        await Assertions.Expect(page.Locator("#tab-not-allowed")).ToBeVisibleAsync();
        // Neither MudBlazor's own active tab nor the current-page mark: the page shown has no tab for a viewer.
        await Assertions.Expect(page.Locator("#tenant-tabs .mud-tab-active, #tenant-tabs [aria-current='page']")).ToHaveCountAsync(0);

        await page.ClickAsync("#tab-settings");
        await page.ExpectPathAsync("/t/acme/settings");
        await Assertions.Expect(ActiveTab(page)).ToHaveAttributeAsync("id", "tab-settings");
        await Assertions.Expect(page.Locator("#tenant-tabs [aria-current='page']")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Tabs_AreLinksToTheirAddresses_AndTheDrawerDoesNotRepeatThem()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync("owner@acme.test", PortalAppFactory.DemoPassword, "/t/acme/usage");

        foreach (var (id, path) in new[] { ("overview", "/t/acme"), ("usage", "/t/acme/usage"), ("users", "/t/acme/users"), ("billing", "/t/acme/billing"), ("settings", "/t/acme/settings") })
        {
            var tab = page.Locator($"#tab-{id}");
            Assert.Equal("A", await tab.EvaluateAsync<string>("e => e.tagName"));
            Assert.Equal(new Uri(portal.ServerAddress, path).ToString().TrimEnd('/'), (await tab.EvaluateAsync<string>("e => e.href")).TrimEnd('/'));
        }
        Assert.Equal("page", await page.Locator("#tab-usage").GetAttributeAsync("aria-current"));
        // One primary navigation: the workspace's sections are the tab bar; the drawer holds Operations and You.
        await Assertions.Expect(page.Locator(".mud-drawer a[href*='t/acme']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#nav-usage")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task TabLabels_AreInSentenceCase()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync("owner@acme.test", PortalAppFactory.DemoPassword, "/t/acme");

        Assert.Equal("Usage", (await page.Locator("#tab-usage").InnerTextAsync()).Trim());
        Assert.Equal("owner@acme.test", (await page.Locator("#user-menu button").InnerTextAsync()).Trim());
    }

    [Fact]
    public async Task Member_SeesSettingsReadOnly_WithLeaveButNoAdminOrOwnerSections()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync("member@acme.test", PortalAppFactory.DemoPassword, "/t/acme/settings");

        await Assertions.Expect(page.Locator("#settings-name")).ToHaveValueAsync("Acme Corporation");
        Assert.NotNull(await page.Locator("#settings-name").GetAttributeAsync("readonly"));
        await Assertions.Expect(page.Locator("#leave-tenant")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#settings-save")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#api-keys")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#audit-table")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#delete-tenant")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#tab-billing")).ToHaveCountAsync(0);
        await session.SaveScreenshotAsync("acme-settings-member.png");
    }

    [Fact]
    public async Task Home_OffersToCreateAWorkspace()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync("owner@acme.test", PortalAppFactory.DemoPassword, "/");
        await session.SaveScreenshotAsync("home.png");

        await page.ClickAsync("#create-workspace");

        await page.ExpectPathAsync("/tenants/new");
        await Assertions.Expect(page.Locator("#create-tenant-name")).ToBeVisibleAsync();
    }

    // The tab marked as the current page (the shell marks the tab of the address).
    private static ILocator ActiveTab(IPage page) => page.Locator("#tenant-tabs .tenant-tab[aria-current='page']");
}
