using Microsoft.Playwright;
using TenantPortal.Core.Members;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

/// <summary>Prepaid credits in the browser, on throwaway workspaces (ledger mode): an owner buys and sets the alert; an operator grants and revokes.</summary>
[Collection(PortalCollection.Name)]
public class CreditsBrowserTests(PortalAppFactory portal)
{
    [Fact]
    public async Task Owner_BuysCredits_AndSetsTheLowBalanceAlert_OnTheBillingTab()
    {
        var owner = await SessionAccounts.MemberAsync(portal, TenantRole.Owner);
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync(owner.Email, SessionAccounts.Password, $"/t/{owner.Slug}/billing");
        await session.WaitForInteractiveAsync();
        await Assertions.Expect(page.Locator("#credits-balance")).ToHaveTextAsync("$0.00");

        await page.ClickAsync("#buy-credits-2500");

        await Assertions.Expect(page.Locator("#credits-balance")).ToHaveTextAsync("$25.00");
        await Assertions.Expect(page.Locator(".credit-grant")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".credit-grant")).ToContainTextAsync("purchase");
        // The running period's invoice (Starter's base) uses it whole, and shows it as "Credits applied".
        await Assertions.Expect(page.Locator("#credits-this-period")).ToHaveTextAsync("$25.00");
        await Assertions.Expect(page.Locator(".upcoming-line[data-kind='CreditsApplied']")).ToContainTextAsync("-$25.00");

        await page.Locator("#credits-threshold").FillAsync("10");
        await page.ClickAsync("#credits-threshold-save");
        await Assertions.Expect(page.Locator("#credits-threshold-note")).ToHaveTextAsync("Alert below $10.00.");
        await session.SaveScreenshotAsync("billing-credits.png", fullPage: true);
    }

    [Fact]
    public async Task Operator_GrantsAndRevokesCredits_OnTheTenantPage()
    {
        var owner = await SessionAccounts.MemberAsync(portal, TenantRole.Owner);
        var op = await SessionAccounts.OperatorAsync(portal);
        var tenantId = (await ApiBilling.TenantAsync(portal, owner.Slug!)).Id;
        await using var session = await BrowserSession.StartAsync(portal);
        var page = session.Page;
        await session.LogInAsync(op.Email, SessionAccounts.Password, $"/ops/tenants/{tenantId}");
        await session.WaitForInteractiveAsync();

        await page.Locator("#grant-amount").FillAsync("12.50");
        await page.Locator("#grant-reason").FillAsync("Sorry for the outage");
        await page.ClickAsync("#grant-credits");

        await Assertions.Expect(page.Locator("#ops-credits #credits-balance")).ToHaveTextAsync("$12.50");
        var grant = page.Locator("#ops-credits .credit-grant");
        await Assertions.Expect(grant).ToContainTextAsync("promotional");
        await grant.Locator("button[id^='revoke-credit-']").ClickAsync();
        await page.Locator("#action-reason").FillAsync("Granted twice");
        await page.ClickAsync("#action-confirm");

        await Assertions.Expect(page.Locator("#ops-credits #credits-balance")).ToHaveTextAsync("$0.00");
        await Assertions.Expect(grant).ToContainTextAsync("(revoked $12.50)");
    }
}
