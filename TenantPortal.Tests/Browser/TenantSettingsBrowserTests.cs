using Microsoft.Playwright;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

[Collection(PortalCollection.Name)]
public class TenantSettingsBrowserTests(PortalAppFactory portal)
{
    [Fact]
    public async Task CreateApiKey_ShowsTheSecretOnce_ListsTheKey_AndAuditsIt()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        var slug = await CreateWorkspaceAsync(session, "Keyring");
        await page.ClickAsync("#tab-settings");
        await page.ExpectPathAsync($"/t/{slug}/settings");
        await page.ClickAsync("#settings-nav-api-keys");
        await page.ExpectPathAsync($"/t/{slug}/settings/api-keys");

        await page.FillAsync("#api-key-name", "CI ingestion");
        await page.ClickAsync("#api-key-create");

        var secret = page.Locator("#api-key-secret");
        await Assertions.Expect(secret).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^tp_live_"));
        var value = await secret.InputValueAsync();
        await session.SaveScreenshotAsync("api-key-secret.png");
        await page.ClickAsync("#api-key-done");
        await Assertions.Expect(page.Locator("#api-key-secret")).ToHaveCountAsync(0);
        var row = page.Locator("#api-keys-table tbody tr").Filter(new() { HasText = "CI ingestion" });
        await Assertions.Expect(row).ToContainTextAsync(value[..16]);
        Assert.DoesNotContain(value, await page.ContentAsync());
        await page.ClickAsync("#settings-nav-audit-log");
        await page.ExpectPathAsync($"/t/{slug}/settings/audit-log");
        await Assertions.Expect(page.Locator("#audit-table")).ToContainTextAsync("api_key.created");
    }

    [Fact]
    public async Task CreateApiKey_WithChosenScopes_GivesAKeyThatCanDoExactlyThat()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        var slug = await CreateWorkspaceAsync(session, "Scoped");
        await page.GotoAsync($"/t/{slug}/settings/api-keys");
        await session.WaitForInteractiveAsync();

        await page.FillAsync("#api-key-name", "Team sync");
        var scopes = page.Locator("#api-key-scopes");
        // The usage scopes are ticked by default: swap them for reading the team.
        await scopes.GetByText("usage:write", new() { Exact = true }).ClickAsync();
        await scopes.GetByText("usage:read", new() { Exact = true }).ClickAsync();
        await scopes.GetByText("members:read", new() { Exact = true }).ClickAsync();
        await page.ClickAsync("#api-key-create");
        var secret = await page.Locator("#api-key-secret").InputValueAsync();
        await page.ClickAsync("#api-key-done");

        var row = page.Locator("#api-keys-table tbody tr").Filter(new() { HasText = "Team sync" });
        await Assertions.Expect(row).ToContainTextAsync("members:read");
        await Assertions.Expect(row).Not.ToContainTextAsync("usage:write");
        using var client = ApiKeys.ClientFor(portal, secret);
        var members = await client.GetAsync("/api/v1/members");
        Assert.Equal(System.Net.HttpStatusCode.OK, members.StatusCode);
        Assert.Contains("owner@acme.test", await members.Content.ReadAsStringAsync());
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/usage/current")).StatusCode);
    }

    [Fact]
    public async Task DeleteWorkspace_AfterTypingItsSlug_GoesHome_AndTheWorkspaceIsGone()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        var slug = await CreateWorkspaceAsync(session, "Doomed");
        await page.GotoAsync($"/t/{slug}/settings/danger-zone");
        await session.WaitForInteractiveAsync();

        await page.ClickAsync("#delete-tenant");
        await Assertions.Expect(page.Locator("#delete-confirm-submit")).ToBeDisabledAsync();
        await page.FillAsync("#delete-confirm-slug", slug);
        await session.SaveScreenshotAsync("delete-tenant.png");
        await page.ClickAsync("#delete-confirm-submit");

        // Home, where the remaining workspaces are; the deleted one's address is not found any more.
        await page.ExpectPathAsync("/");
        await page.GotoAsync($"/t/{slug}");
        await session.WaitForInteractiveAsync();
        await Assertions.Expect(page.Locator(NotFound)).ToBeVisibleAsync();
    }

    // The portal's not-found page, or the tenant scope's own notice.
    private const string NotFound = "#page-not-found, #tenant-not-found";

    // Creates a Free workspace as the owner of acme through the create page and returns its slug.
    private static async Task<string> CreateWorkspaceAsync(BrowserSession session, string name)
    {
        var page = session.Page;
        var suffix = Guid.NewGuid().ToString("N")[..6];
        await session.LogInAsync("owner@acme.test", PortalAppFactory.DemoPassword, "/tenants/new");
        await page.FillAsync("#create-tenant-name", $"{name} {suffix}");
        var slug = $"{name.ToLowerInvariant()}-{suffix}";
        await Assertions.Expect(page.Locator("#create-tenant-slug")).ToHaveValueAsync(slug);
        await page.ClickAsync("#create-tenant-submit");
        await page.ExpectPathAsync($"/t/{slug}");
        await Assertions.Expect(page.Locator("#tenant-name")).ToBeVisibleAsync();
        await session.WaitForInteractiveAsync();
        return slug;
    }
}
