using Microsoft.Playwright;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

[Collection(PortalCollection.Name)]
public class CreateTenantBrowserTests(PortalAppFactory portal)
{
    [Fact]
    public async Task Owner_CreatesAWorkspace_AndLandsInIt_AsItsOwner()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var name = $"Umbrella Labs {suffix}";
        var slug = $"umbrella-labs-{suffix}";
        await session.LogInAsync("owner@acme.test", PortalAppFactory.DemoPassword, "/t/acme");

        await page.ClickAsync("#tenant-switcher button");
        await page.ClickAsync("#switch-create");
        await page.ExpectPathAsync("/tenants/new");
        await page.FillAsync("#create-tenant-name", name);

        await Assertions.Expect(page.Locator("#create-tenant-slug")).ToHaveValueAsync(slug);
        await Assertions.Expect(page.Locator("#create-tenant-slug-status")).ToHaveAttributeAsync("data-state", "Available");
        await page.ClickAsync("#plan-starter");
        await session.SaveScreenshotAsync("create-tenant.png", fullPage: true);
        await page.ClickAsync("#create-tenant-submit");

        await page.ExpectPathAsync($"/t/{slug}");
        await Assertions.Expect(page.Locator("#tenant-name")).ToHaveTextAsync(name);
        await Assertions.Expect(page.Locator("#tenant-role")).ToContainTextAsync("Owner");
        await Assertions.Expect(page.Locator("#trial-banner")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#tenant-switcher")).ToContainTextAsync(name);
    }

    [Fact]
    public async Task SlugCheck_SaysATakenSlugIsTaken()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync("admin@globex.test", PortalAppFactory.DemoPassword, "/tenants/new");

        await page.FillAsync("#create-tenant-name", "Another Globex");
        await page.FillAsync("#create-tenant-slug", "acme");

        await Assertions.Expect(page.Locator("#create-tenant-slug-status")).ToHaveAttributeAsync("data-state", "Refused");
        await Assertions.Expect(page.GetByText("'acme' is taken")).ToBeVisibleAsync();
    }
}
