using Microsoft.Playwright;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

/// <summary>
/// The quota banner on the demo tenant initech (Free, seeded at 92 % of its 10,000 API calls: a hard limit), and the
/// invoice PDF download from the invoice page. Nothing is changed: the plan chooser is opened and closed.
/// </summary>
[Collection(PortalCollection.Name)]
public class QuotaBannerBrowserTests(PortalAppFactory portal)
{
    [Fact]
    public async Task Initech_At92PercentOfAHardLimit_ShowsTheBanner_AndItsUpgradeOpensThePlanChange()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync("owner@initech.test", PortalAppFactory.DemoPassword, "/t/initech");

        var banner = page.Locator("#quota-banner");
        await Assertions.Expect(banner).ToHaveAttributeAsync("data-level", "90");
        await Assertions.Expect(banner.Locator(".quota-banner-item[data-metric='api_calls']")).ToContainTextAsync("Requests will be refused at 100 %");
        // The red card links to the banner on this page.
        await Assertions.Expect(page.Locator("#card-api_calls .quota-banner-link")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("t/initech#quota-banner$"));
        await session.SaveScreenshotAsync("quota-banner-overview.png", fullPage: true);

        await page.Locator("#quota-upgrade").ClickAsync();

        await page.ExpectPathAsync("/t/initech/billing");
        await Assertions.Expect(page.Locator("#change-plan-dialog")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#quota-banner")).ToHaveAttributeAsync("data-level", "90");
        // Escape reaches the dialog once MudBlazor has moved the focus into it (after its first render): pressed before, it
        // goes to the page and nothing closes.
        await page.WaitForFunctionAsync("() => document.querySelector('#change-plan-dialog')?.closest('.mud-dialog')?.contains(document.activeElement) === true");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator("#change-plan-dialog")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#current-plan")).ToHaveAttributeAsync("data-tier", "Free");
        // A Free tenant has nothing to bill: no $0.00 invoices.
        await Assertions.Expect(page.Locator("#no-invoices")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task InvoicePage_DownloadsTheInvoiceAsPdf()
    {
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync("owner@acme.test", PortalAppFactory.DemoPassword, "/t/acme/billing");
        var number = await page.Locator(".invoice-row .invoice-number").First.GetAttributeAsync("data-number");
        await page.Locator(".invoice-row .invoice-link[data-kind='printable']").First.ClickAsync();
        await page.ExpectPathAsync($"/t/acme/billing/invoices/{number}");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#invoice-pdf").ClickAsync());

        Assert.Equal($"{number}.pdf", download.SuggestedFilename);
        var path = await download.PathAsync();
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(path!).AsSpan(0, 5)));
    }
}
