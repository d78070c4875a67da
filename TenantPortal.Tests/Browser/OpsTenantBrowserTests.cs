using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

[Collection(PortalCollection.Name)]
public class OpsTenantBrowserTests(PortalAppFactory portal)
{
    [Fact]
    public async Task Operator_RaisesInitechsApiQuota_AndInitechsOwnerSeesTheNewLimit_ThenClearsIt()
    {
        var initech = await InitechIdAsync();
        try
        {
            await using (var ops = await BrowserSession.StartAsync(portal))
            {
                var page = ops.Page;
                await ops.LogInAsync(PortalAppFactory.OperatorEmail, PortalAppFactory.OperatorPassword, $"/ops/tenants/{initech}");
                await page.Locator("#ops-tenant-header[data-interactive='True']").WaitForAsync();
                await Assertions.Expect(page.Locator("#ops-tenant-name")).ToHaveTextAsync("Initech");
                var apiRow = page.Locator(".ops-usage-row[data-metric='api_calls']");
                await Assertions.Expect(apiRow).ToHaveAttributeAsync("data-limit", "10000");

                await page.ClickAsync("#override-api_calls");
                await page.Locator("#quota-override-dialog").WaitForAsync();
                await Assertions.Expect(page.Locator("#override-plan-limit")).ToHaveTextAsync(10_000.ToString("N0"));
                await page.FillAsync("#override-limit", "50000");
                await page.FillAsync("#override-reason", "Launch week: customer asked for headroom");
                await page.ClickAsync("#override-confirm");

                await Assertions.Expect(apiRow).ToHaveAttributeAsync("data-limit", "50000");
                await Assertions.Expect(apiRow).ToContainTextAsync($"override {50_000:N0}");
                await ops.SaveScreenshotAsync("ops-tenant-initech.png", fullPage: true);
            }

            await using (var owner = await BrowserSession.StartAsync(portal))
            {
                await owner.LogInAsync("owner@initech.test", PortalAppFactory.DemoPassword, "/t/initech/usage");
                var bar = owner.Page.Locator(".usage-bar[data-metric='api_calls']");
                await Assertions.Expect(bar).ToContainTextAsync($"/ {50_000:N0}");
            }

            await using (var ops = await BrowserSession.StartAsync(portal))
            {
                var page = ops.Page;
                await ops.LogInAsync(PortalAppFactory.OperatorEmail, PortalAppFactory.OperatorPassword, $"/ops/tenants/{initech}");
                await page.Locator("#ops-tenant-header[data-interactive='True']").WaitForAsync();
                await page.ClickAsync("#override-api_calls");
                await page.Locator("#quota-override-dialog").WaitForAsync();
                await page.FillAsync("#override-reason", "Launch week over");
                await page.ClickAsync("#override-clear");

                await Assertions.Expect(page.Locator(".ops-usage-row[data-metric='api_calls']")).ToHaveAttributeAsync("data-limit", "10000");
            }
            Assert.False(await HasApiOverrideAsync(initech));
        }
        finally
        {
            // Other tests rely on initech being near its 10,000-call quota.
            await RemoveApiOverrideAsync(initech);
        }
    }

    private async Task<Guid> InitechIdAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return await db.Tenants.Where(t => t.Slug == "initech").Select(t => t.Id).SingleAsync();
    }

    private async Task<bool> HasApiOverrideAsync(Guid tenantId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return await db.QuotaOverrides.AnyAsync(o => o.TenantId == tenantId && o.Metric == UsageMetric.ApiCalls);
    }

    private async Task RemoveApiOverrideAsync(Guid tenantId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        await db.QuotaOverrides.Where(o => o.TenantId == tenantId && o.Metric == UsageMetric.ApiCalls).ExecuteDeleteAsync();
    }
}
