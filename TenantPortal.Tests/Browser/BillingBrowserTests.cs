using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

/// <summary>
/// The Billing tab in ledger mode. The plan change runs on the demo tenant globex itself, by its demo owner; other tests
/// of the shared portal rely on globex being a Starter trial, so the test puts it back as it found it (the tests of a
/// collection run one at a time, so none of them sees globex changed).
/// </summary>
[Collection(PortalCollection.Name)]
public class BillingBrowserTests(PortalAppFactory portal)
{
    private const string Owner = "owner@globex.test";

    [Fact]
    public async Task ChangePlan_ToProfessional_ShowsTheNewPlanItsQuotasAndAnUpdatedPreview()
    {
        const string slug = "globex";
        await using var restore = await GlobexSnapshot.TakeAsync(portal);
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync(Owner, PortalAppFactory.DemoPassword, $"/t/{slug}/billing");
        var plan = page.Locator("#current-plan");
        await Assertions.Expect(plan).ToHaveAttributeAsync("data-tier", "Starter");
        await Assertions.Expect(page.Locator("#trial-banner")).ToBeVisibleAsync();
        var totalBefore = await page.Locator("#upcoming-invoice").GetAttributeAsync("data-total-cents");
        await session.SaveScreenshotAsync("billing-trial.png", fullPage: true);

        await page.ClickAsync("#change-plan");
        await page.ClickAsync("#plan-option-professional");
        var preview = page.Locator("#plan-preview");
        await Assertions.Expect(preview).ToHaveAttributeAsync("data-tier", "Professional");
        await Assertions.Expect(page.Locator("#plan-confirm")).ToBeEnabledAsync();
        Assert.True(long.Parse((await preview.GetAttributeAsync("data-proration-cents"))!) > 0);
        await session.SaveScreenshotAsync("billing-change-plan.png");
        await page.ClickAsync("#plan-confirm");

        await Assertions.Expect(page.Locator("#change-plan-dialog")).ToHaveCountAsync(0);
        await Assertions.Expect(plan).ToHaveAttributeAsync("data-tier", "Professional");
        await Assertions.Expect(page.Locator("#current-plan-tier")).ToHaveTextAsync("Professional");
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("You are on Professional now");
        // The prorated Professional charge is now on the upcoming invoice (the cents depend on the minute of the change).
        await Assertions.Expect(page.Locator("#upcoming-invoice")).Not.ToHaveAttributeAsync("data-total-cents", totalBefore!);
        await Assertions.Expect(page.Locator("#upcoming-lines")).ToContainTextAsync("Professional");
        // The header and the banners follow: the trial is over.
        await Assertions.Expect(page.Locator(".tenant-header [data-tier]")).ToHaveAttributeAsync("data-tier", "Professional");
        await Assertions.Expect(page.Locator("#trial-banner")).ToHaveCountAsync(0);
        await session.SaveScreenshotAsync("billing-professional.png", fullPage: true);

        await page.ClickAsync("#tab-usage");
        await page.ExpectPathAsync($"/t/{slug}/usage");
        await Assertions.Expect(page.Locator(".usage-bar[data-metric='api_calls']")).ToContainTextAsync("1,000,000");
    }

    [Fact]
    public async Task InvoicePage_ShowsTheInvoice_FromTheInvoicesTable()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync("owner@acme.test", PortalAppFactory.DemoPassword, "/t/acme/billing");
        var first = page.Locator(".invoice-row .invoice-link[data-kind='printable']").First;
        await first.ClickAsync();

        await page.ExpectPathAsync("/t/acme/billing/invoices/*");
        await Assertions.Expect(page.Locator("#invoice-bill-to")).ToHaveTextAsync("Acme Corporation");
        await Assertions.Expect(page.Locator(".invoice-line").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#invoice-print")).ToBeVisibleAsync();
        await session.SaveScreenshotAsync("invoice.png", fullPage: true);

        // An invoice of acme that bills API calls over the quota (acme uses ~35,000 a day): the days behind that line open in a dialog.
        await page.GotoAsync($"/t/acme/billing/invoices/{await AcmeInvoiceWithOverageAsync()}");
        await session.WaitForInteractiveAsync();
        await page.Locator(".invoice-line .line-usage").First.ClickAsync();
        await Assertions.Expect(page.Locator("#line-usage-dialog .usage-day").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#line-usage-csv")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("/usage\\.csv$"));
        await session.SaveScreenshotAsync("invoice-line-usage.png");
    }

    private async Task<string> AcmeInvoiceWithOverageAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TenantPortal.Data.PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        var acme = await db.Tenants.SingleAsync(t => t.Slug == "acme");
        return await db.Invoices.Where(i => i.TenantId == acme.Id && i.Lines.Any(l => l.Metric != null)).Select(i => i.Number).FirstAsync();
    }

    // Globex's subscription fields and plan history as they were, put back when the test is done.
    private sealed class GlobexSnapshot : IAsyncDisposable
    {
        private readonly PortalAppFactory _portal;
        private readonly Tenant _tenant;
        private readonly List<PlanSegment> _segments;

        private GlobexSnapshot(PortalAppFactory portal, Tenant tenant, List<PlanSegment> segments) =>
            (_portal, _tenant, _segments) = (portal, tenant, segments);

        public static async Task<GlobexSnapshot> TakeAsync(PortalAppFactory portal)
        {
            await using var scope = portal.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TenantPortal.Data.PortalDbContext>();
            using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test snapshot");
            var tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Slug == "globex");
            Assert.Equal((SubscriptionTier.Starter, TenantStatus.Trial), (tenant.Tier, tenant.Status));
            var segments = await db.PlanSegments.AsNoTracking().Where(x => x.TenantId == tenant.Id).ToListAsync();
            return new GlobexSnapshot(portal, tenant, segments);
        }

        public async ValueTask DisposeAsync()
        {
            await using var scope = _portal.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TenantPortal.Data.PortalDbContext>();
            using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test restore");
            await TenantLifecycleCopy.CopyAsync(db, _tenant.Id, _tenant);
            await db.PlanSegments.Where(x => x.TenantId == _tenant.Id).ExecuteDeleteAsync();
            db.PlanSegments.AddRange(_segments);
            await db.SaveChangesAsync();
        }
    }
}
