using Microsoft.Playwright;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

/// <summary>The operator's jobs, audit and Stripe inbox pages, clicked through in a browser.</summary>
[Collection(PortalCollection.Name)]
public class OpsJobsAuditInboxBrowserTests(PortalAppFactory portal)
{
    [Fact]
    public async Task Operator_RunsAJobNow_AndSeesItStart()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync(PortalAppFactory.OperatorEmail, PortalAppFactory.OperatorPassword, "/ops/jobs");
        await session.WaitForInteractiveAsync();

        await page.Locator(".run-now[data-job='invitation-cleanup']").ClickAsync();

        await Assertions.Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = "invitation-cleanup started" })).ToHaveCountAsync(1);
        await page.Locator("#jobs-refresh").ClickAsync();
        await Assertions.Expect(page.Locator(".job-result[data-job='invitation-cleanup']")).Not.ToHaveAttributeAsync("data-result", "None");
        await session.SaveScreenshotAsync("ops-jobs.png");
    }

    [Fact]
    public async Task Operator_FiltersTheFleetAuditLog_ByTenant()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync(PortalAppFactory.OperatorEmail, PortalAppFactory.OperatorPassword, "/ops/audit");
        await session.WaitForInteractiveAsync();
        var tenants = page.Locator("#fleet-audit-table tbody td.fleet-audit-tenant");
        await Assertions.Expect(tenants.First).ToBeVisibleAsync();

        await page.Locator("#fleet-audit-filter-tenant").FillAsync("initech");

        await Assertions.Expect(tenants.Filter(new() { HasNotText = "initech" })).ToHaveCountAsync(0);
        await Assertions.Expect(tenants.Filter(new() { HasText = "initech" }).First).ToBeVisibleAsync();
        await session.SaveScreenshotAsync("ops-audit.png");
    }
}
