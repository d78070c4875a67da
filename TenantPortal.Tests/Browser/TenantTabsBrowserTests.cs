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
        await Assertions.Expect(page.Locator("#members-table td[data-email='member@acme.test']")).ToBeVisibleAsync();
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
    public async Task Member_SeesSettingsReadOnly_WithLeaveButNoAdminOrOwnerSections()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync("member@acme.test", PortalAppFactory.DemoPassword, "/t/acme/settings");

        await Assertions.Expect(page.Locator("#settings-name")).ToHaveValueAsync("Acme Corporation");
        Assert.NotNull(await page.Locator("#settings-name").GetAttributeAsync("readonly"));
        await Assertions.Expect(page.Locator("#settings-save")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#settings-nav-api-keys")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#settings-nav-audit-log")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#settings-nav-security")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#tab-billing")).ToHaveCountAsync(0);
        await session.SaveScreenshotAsync("acme-settings-member.png");

        await page.ClickAsync("#settings-nav-danger-zone");

        await page.ExpectPathAsync("/t/acme/settings/danger-zone");
        await Assertions.Expect(page.Locator("#leave-tenant")).ToBeEnabledAsync();
        await Assertions.Expect(page.Locator("#delete-tenant")).ToHaveCountAsync(0);
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

    // The tab whose label carries data-active (the shell marks the tab of the address).
    private static ILocator ActiveTab(IPage page) => page.Locator(".mud-tab.mud-tab-active .tenant-tab");
}
