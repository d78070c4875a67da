using Bunit;
using MudBlazor;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Web.Components.Tenant.Billing;

namespace TenantPortal.Tests.Web.Components;

// Today is 10 June 2026, noon UTC.
public class BillingBannersTests : BillingComponentTestContext
{
    [Fact]
    public async Task Trial_SaysTheDaysLeft_WithALinkToBilling_ForAnAdmin()
    {
        await SetPlanAsync(SubscriptionTier.Starter, TenantStatus.Trial, trialEndsAt: Now.AddDays(10));

        var banners = RenderBanners(TenantRole.Admin);

        var banner = banners.Find("#trial-banner");
        Assert.Contains("10 days left of your trial of Starter", banner.TextContent);
        Assert.Contains("mud-alert-text-info", banner.ClassName);
        Assert.Equal("t/bunit-team/billing", banners.Find("#trial-banner .banner-billing-link").GetAttribute("href"));
    }

    [Fact]
    public async Task Trial_IsAWarning_InItsLastThreeDays()
    {
        await SetPlanAsync(SubscriptionTier.Starter, TenantStatus.Trial, trialEndsAt: Now.AddDays(2));

        var banners = RenderBanners(TenantRole.Viewer);

        var banner = banners.Find("#trial-banner");
        Assert.Contains("2 days left", banner.TextContent);
        Assert.Contains("mud-alert-text-warning", banner.ClassName);
        Assert.Empty(banners.FindAll(".banner-billing-link"));
        Assert.Contains("Ask an owner or admin", banner.TextContent);
    }

    [Fact]
    public async Task PastDue_NamesTheOpenInvoice_AndTheSuspensionDate_ForAViewerToo()
    {
        await SubscribeAsync();
        await UpdateTenantAsync(t => Assert.True(t.MarkPastDue(Now.AddDays(-2), Now).IsSuccess));
        await AddOpenInvoiceAsync("BUNIT-202605");

        var banners = RenderBanners(TenantRole.Viewer);

        var text = banners.Find("#past-due-banner").TextContent;
        Assert.Contains("A payment failed", text);
        Assert.Contains("invoice BUNIT-202605", text);
        Assert.Contains("suspended on 15 June 2026", text); // 8 June + 7 dunning days
    }

    [Fact]
    public async Task SuspendedAfterATrial_SaysTheTrialHasEnded()
    {
        await SetPlanAsync(SubscriptionTier.Starter, TenantStatus.Trial, trialEndsAt: Now.AddDays(-1));
        await UpdateTenantAsync(t => Assert.True(t.SuspendForTrialEnd(Now.AddDays(-1)).IsSuccess));

        var banners = RenderBanners(TenantRole.Owner);

        Assert.Contains("Your trial has ended — choose a plan to continue", banners.Find("#trial-expired-banner").TextContent);
        Assert.Empty(banners.FindAll("#suspended-banner"));
    }

    [Fact]
    public async Task Suspended_ForAnUnpaidInvoice_SaysSo()
    {
        await SubscribeAsync();
        await UpdateTenantAsync(t => Assert.True(t.MarkPastDue(Now.AddDays(-9), Now.AddDays(-1)).IsSuccess
            && t.SuspendForNonPayment(TimeSpan.FromDays(7), Now.AddDays(-1)).IsSuccess));

        var banners = RenderBanners(TenantRole.Member);

        Assert.Contains("The workspace is suspended since 9 June 2026", banners.Find("#suspended-banner").TextContent);
    }

    [Fact]
    public void Active_ShowsNoBanner()
    {
        var banners = RenderBanners(TenantRole.Owner);

        Assert.Empty(banners.FindAll(".mud-alert"));
    }

    private IRenderedComponent<BillingBanners> RenderBanners(TenantRole role)
    {
        var access = SignInAs(role);
        Render<MudPopoverProvider>();
        var banners = Render<BillingBanners>(p => p.Add(x => x.Access, access));
        return banners;
    }

    private async Task AddOpenInvoiceAsync(string number)
    {
        await using var db = Database.ForTenant(Tenant.Id);
        var may = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);
        db.Invoices.Add(new Invoice
        {
            TenantId = Tenant.Id, Number = number, PeriodStart = may, PeriodEnd = may.AddMonths(1), Tier = SubscriptionTier.Starter,
            Status = InvoiceStatus.Open, TotalCents = 4_900, IssuedAt = may.AddMonths(1).AddDays(1), DueAt = may.AddMonths(1).AddDays(15),
        });
        await db.SaveChangesAsync();
    }
}
