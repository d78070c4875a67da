using Deque.AxeCore.Playwright;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Data.Services.Entitlements;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

/// <summary>
/// An operator overrides one of globex's features on its page's Entitlements tab: the tab and the dialog pass axe and fit
/// a phone, the row shows the override at once, and the portal's check answers it.
/// </summary>
[Collection(PortalCollection.Name)]
public class EntitlementsBrowserTests(PortalAppFactory portal)
{
    private static readonly string[] Failing = ["critical", "serious"];

    [Fact]
    public async Task Operator_OverridesGlobexsSso_OnTheEntitlementsTab_AndTheCheckAnswersIt()
    {
        var globex = await GlobexIdAsync();
        try
        {
            await using var ops = await BrowserSession.StartAsync(portal);
            var page = ops.Page;
            await ops.LogInAsync(PortalAppFactory.OperatorEmail, PortalAppFactory.OperatorPassword, $"/ops/tenants/{globex}");
            await page.Locator("#ops-tenant-header[data-interactive='True']").WaitForAsync();
            await page.Locator(".mud-tab", new() { HasText = "Entitlements" }).ClickAsync();
            var sso = page.Locator(".ops-entitlement-row[data-feature='sso']");
            await Assertions.Expect(sso).ToHaveAttributeAsync("data-source", "plan");
            await Assertions.Expect(sso).ToHaveAttributeAsync("data-enabled", "false");
            await Assertions.Expect(page.Locator(".ops-entitlement-row[data-feature='max_api_keys'] .entitlement-effective")).ToContainTextAsync("5");
            await AssertNoSeriousAxeFindingAsync(page, "the Entitlements tab");

            await page.ClickAsync("#entitlement-override-sso");
            await page.Locator("#entitlement-override-dialog").WaitForAsync();
            await Assertions.Expect(page.Locator("#entitlement-plan-value")).ToHaveTextAsync("Not included");
            await page.FillAsync("#entitlement-reason", "SSO pilot before the upgrade");
            // Enabled, and its colour transition over (axe would measure a colour half-way).
            await page.Locator("#entitlement-confirm:not([disabled])").WaitForAsync();
            await page.WaitForFunctionAsync("() => document.querySelector('#entitlement-confirm').getAnimations().length === 0");
            await AssertNoSeriousAxeFindingAsync(page, "the override dialog");
            await page.ClickAsync("#entitlement-confirm");

            await Assertions.Expect(sso).ToHaveAttributeAsync("data-source", "override");
            await Assertions.Expect(sso).ToHaveAttributeAsync("data-enabled", "true");
            await Assertions.Expect(sso.Locator(".entitlement-override")).ToContainTextAsync("SSO pilot before the upgrade");
            Assert.True(await SsoAsync(globex));

            await page.SetViewportSizeAsync(390, 844);
            await Assertions.Expect(sso).ToBeVisibleAsync();
            // MudBlazor lays the tabs out again after the resize (its resize listener, then a render): wait for the page to
            // settle within the phone's width; a real overflow never does, and the failure names the widest elements.
            try
            {
                await page.WaitForFunctionAsync("() => document.documentElement.scrollWidth <= 390");
            }
            catch (TimeoutException)
            {
                var widest = await page.EvaluateAsync<string>("""
                    () => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)
                        .slice(-4).map(e => `${e.tagName.toLowerCase()}#${e.id}.${String(e.className).slice(0, 60)} (${Math.round(e.getBoundingClientRect().right)} px)`).join(', ')
                    """);
                Assert.Fail($"The page is {await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")} px wide on a 390 px phone: {widest}");
            }
        }
        finally
        {
            await RemoveOverridesAsync(globex);
        }
    }

    private static async Task AssertNoSeriousAxeFindingAsync(IPage page, string what)
    {
        var serious = (await page.RunAxe()).Violations.Where(v => Failing.Contains(v.Impact)).ToList();
        Assert.True(serious.Count == 0, $"axe on {what}: " + string.Join("; ", serious.Select(v => $"{v.Id} [{v.Impact}] at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Target))}")));
    }

    private async Task<bool> SsoAsync(Guid tenantId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<EntitlementService>().CheckAsync(tenantId, "sso", CancellationToken.None)).Value.Enabled;
    }

    private async Task<Guid> GlobexIdAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return await db.Tenants.Where(t => t.Slug == "globex").Select(t => t.Id).SingleAsync();
    }

    // Through a tracked delete, so that the save interceptor forgets the cached entitlements as the portal's own saves do.
    private async Task RemoveOverridesAsync(Guid tenantId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test clean-up");
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        db.EntitlementOverrides.RemoveRange(await db.EntitlementOverrides.Where(o => o.TenantId == tenantId).ToListAsync());
        await db.SaveChangesAsync();
    }
}
