using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Identity;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Tenants;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

/// <summary>
/// The Billing tab in ledger mode. The plan change runs on a fresh Starter trial owned by globex's demo owner, exactly
/// like globex, because other tests of the shared portal rely on globex itself staying a Starter trial.
/// </summary>
[Collection(PortalCollection.Name)]
public class BillingBrowserTests(PortalAppFactory portal)
{
    private const string Owner = "owner@globex.test";

    [Fact]
    public async Task ChangePlan_ToProfessional_ShowsTheNewPlanItsQuotasAndAnUpdatedPreview()
    {
        var slug = await CreateStarterTrialAsync();
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
        await page.WaitForURLAsync($"**/t/{slug}/usage");
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

        await page.WaitForURLAsync("**/t/acme/billing/invoices/*");
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

    // A new Starter workspace (a 14-day trial, as globex) owned by globex's demo owner.
    private async Task<string> CreateStarterTrialAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var owner = await users.FindByEmailAsync(Owner);
        var slug = $"billing-{Guid.NewGuid():N}"[..20];
        var created = await scope.ServiceProvider.GetRequiredService<TenantService>()
            .CreateAsync(new Actor(owner!.Id, Owner), new CreateTenantRequest("Globex Billing", slug, SubscriptionTier.Starter), CancellationToken.None);
        Assert.True(created.IsSuccess, created.Error?.Message);
        Assert.Equal(TenantStatus.Trial, created.Value.Status);
        return slug;
    }
}
