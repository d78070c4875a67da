using Microsoft.Playwright;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

/// <summary>Settings in sections with their own addresses, and the team's and the settings' tables on a 390 px phone.</summary>
[Collection(PortalCollection.Name)]
public class TenantSettingsSectionsBrowserTests(PortalAppFactory portal)
{
    // The right edge of everything inside the selector, in CSS pixels: nothing may stick out of a 390 px viewport.
    private const string RightmostEdge = "sel => Math.max(0, ...[...document.querySelectorAll(sel + ', ' + sel + ' *')].map(e => e.getBoundingClientRect().right))";

    // The element that reaches furthest right, for the failure message.
    private const string RightmostElement = """
        sel => { let best = null, right = 0;
          for (const e of document.querySelectorAll(sel + ', ' + sel + ' *')) { const r = e.getBoundingClientRect().right; if (r > right) { right = r; best = e; } }
          return best ? `${best.tagName.toLowerCase()}#${best.id}.${[...best.classList].join('.')} "${(best.textContent || '').trim().slice(0, 40)}"` : ''; }
        """;

    [Fact]
    public async Task Settings_OpensItsFirstSection_AndEachSectionHasItsOwnAddress()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync("owner@acme.test", PortalAppFactory.DemoPassword, "/t/acme/settings");

        await Assertions.Expect(page.Locator("#tenant-details")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#settings-nav-general")).ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(page.Locator("#api-keys")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#danger-zone")).ToHaveCountAsync(0);

        foreach (var (section, content) in new[] { ("security", "#security-section"), ("api-keys", "#api-keys"), ("sso", "#sso-section"), ("audit-log", "#audit-table"), ("danger-zone", "#danger-zone") })
        {
            await page.ClickAsync($"#settings-nav-{section}");

            await page.ExpectPathAsync($"/t/acme/settings/{section}");
            await Assertions.Expect(page.Locator(content)).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator($"#settings-nav-{section}")).ToHaveAttributeAsync("aria-current", "page");
            await Assertions.Expect(page.Locator("#tenant-details")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("#tab-settings")).ToHaveAttributeAsync("data-active", "True");
        }
        await session.SaveScreenshotAsync("acme-settings-api-keys.png");
    }

    [Fact]
    public async Task ASectionTheRoleMayNotSee_IsForbidden_AndAnUnknownSection_IsNotFound()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync("member@acme.test", PortalAppFactory.DemoPassword, "/t/acme/settings");
        await Assertions.Expect(page.Locator("#settings-nav-danger-zone")).ToBeVisibleAsync();

        var forbidden = await page.GotoAsync("/t/acme/settings/api-keys");
        await session.WaitForInteractiveAsync();

        Assert.Equal(403, forbidden!.Status);
        await Assertions.Expect(page.Locator("#tab-not-allowed")).ToContainTextAsync("API keys is for Admin and above");
        await Assertions.Expect(page.Locator("#api-key-name")).ToHaveCountAsync(0);

        var unknown = await page.GotoAsync("/t/acme/settings/no-such-section");

        Assert.Equal(404, unknown!.Status);
        await Assertions.Expect(page.Locator("#page-not-found")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task OnAPhone_TheTeamAndEverySettingsSection_FitTheScreen_AndRolesCanBeChanged()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await page.SetViewportSizeAsync(390, 844);
        await session.LogInAsync("owner@acme.test", PortalAppFactory.DemoPassword, "/t/acme/users");

        var roleOfMember = page.GetByLabel("Role of member@acme.test");
        await Assertions.Expect(roleOfMember).ToBeVisibleAsync();
        var box = await page.Locator("#members-table .role-select").First.BoundingBoxAsync();
        Assert.True(box is not null && box.X >= 0 && box.X + box.Width <= 390, $"The role select lies at x = {box?.X}–{box?.X + box?.Width}.");
        Assert.True(await page.EvaluateAsync<double>(RightmostEdge, "#members-table") <= 390);
        await session.SaveScreenshotAsync("acme-users-phone.png", fullPage: true);

        foreach (var section in new[] { "general", "security", "api-keys", "sso", "audit-log", "danger-zone" })
        {
            await page.GotoAsync($"/t/acme/settings/{section}");
            await session.WaitForInteractiveAsync();
            await Assertions.Expect(page.Locator($"#settings-nav-{section}")).ToHaveAttributeAsync("aria-current", "page");
            if (section == "audit-log")
                await Assertions.Expect(page.Locator("#audit-table tbody tr").First).ToBeVisibleAsync();

            var right = await page.EvaluateAsync<double>(RightmostEdge, ".settings-layout");
            Assert.True(right <= 390, $"Settings › {section} reaches x = {right} px on a 390 px screen: {await page.EvaluateAsync<string>(RightmostElement, ".settings-layout")}");
        }
        await session.SaveScreenshotAsync("acme-settings-phone.png", fullPage: true);
    }
}
