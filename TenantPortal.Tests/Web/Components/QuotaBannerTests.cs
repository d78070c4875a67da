using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Core.Quotas;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Notifications;
using TenantPortal.Web.Components.Tenant;

namespace TenantPortal.Tests.Web.Components;

// The clock stands at 10 June 2026: the period resets on 1 July 2026. Free: 10,000 API calls, hard limits; Starter:
// 100,000 API calls and 50 GPU hours, overage billed.
public class QuotaBannerTests : UsageComponentTestContext
{
    public static TheoryData<int> Thresholds => new(QuotaCalculator.AlertThresholds);

    [Fact]
    public async Task Render_SaysRequestsWillBeRefusedAt100_OnAHardFreeLimitAt92Percent()
    {
        await SetPlanAsync(SubscriptionTier.Free);
        await ReportAsync(UsageMetric.ApiCalls, 9_200);

        var banner = RenderBanner(TenantRole.Owner);

        banner.WaitForAssertion(() => Assert.Equal("90", banner.Find("#quota-banner").GetAttribute("data-level")));
        var item = banner.Find(".quota-banner-item[data-metric='api_calls']");
        Assert.Equal(("90", "true"), (item.GetAttribute("data-threshold"), item.GetAttribute("data-hard-limit")));
        Assert.Contains("92 % of 10,000 calls used", item.TextContent);
        Assert.Contains("Requests will be refused at 100 %, until the quota resets on 1 July 2026", item.TextContent);
    }

    [Theory]
    [MemberData(nameof(Thresholds))]
    public async Task Render_ShowsTheHighestAlertThresholdReached(int threshold)
    {
        await SetPlanAsync(SubscriptionTier.Free);
        await ReportAsync(UsageMetric.ApiCalls, 100 * threshold); // threshold % of 10,000

        var banner = RenderBanner(TenantRole.Owner);

        banner.WaitForAssertion(() => Assert.Equal(threshold.ToString(), banner.Find("#quota-banner").GetAttribute("data-level")));
        Assert.Equal(threshold.ToString(), banner.Find(".quota-banner-item[data-metric='api_calls']").GetAttribute("data-threshold"));
    }

    [Fact]
    public async Task Render_ShowsNothing_BelowTheFirstAlertThreshold()
    {
        // Starter: 100,000 calls; its 4 members of 10 seats are at 40 %.
        await ReportAsync(UsageMetric.ApiCalls, 1_000 * QuotaCalculator.AlertThresholds[0] - 1);
        await ReportAsync(UsageMetric.GpuHours, 1);

        var banner = RenderBanner(TenantRole.Owner);
        var overview = Render<TenantOverviewPanel>(p => p.Add(x => x.Access, banner.Instance.Access));

        overview.WaitForAssertion(() => Assert.Equal("Yellow", overview.Find("#card-api_calls").GetAttribute("data-band")));
        Assert.Empty(banner.FindAll("#quota-banner"));
        Assert.Empty(overview.FindAll("#quota-banner"));
    }

    [Fact]
    public async Task Render_WarnsThatInvitationsWillBeRefused_AtEightyPercentOfTheSeats()
    {
        await SetPlanAsync(SubscriptionTier.Free); // 4 members of 5 seats

        var banner = RenderBanner(TenantRole.Owner);

        banner.WaitForAssertion(() => Assert.Equal("80", banner.Find("#quota-banner").GetAttribute("data-level")));
        Assert.Contains("Invitations will be refused at 100 %", banner.Find(".quota-banner-item[data-metric='users']").TextContent);
    }

    [Fact]
    public async Task Render_SaysRequestsAreBeingRefusedUntilTheReset_AtAHardLimitsFull()
    {
        await SetPlanAsync(SubscriptionTier.Free);
        await ReportAsync(UsageMetric.ApiCalls, 10_400);

        var banner = RenderBanner(TenantRole.Owner);

        banner.WaitForAssertion(() => Assert.Equal("100", banner.Find("#quota-banner").GetAttribute("data-level")));
        Assert.Contains("Requests are being refused until the quota resets on 1 July 2026", banner.Find(".quota-banner-item").TextContent);
        Assert.Contains("mud-alert-text-error", banner.Find("#quota-banner").ClassList);
    }

    [Fact]
    public async Task Render_SaysOverageIsBilledAtThePlansPrice_OnAPaidPlanAt92Percent()
    {
        await ReportAsync(UsageMetric.ApiCalls, 92_000);

        var banner = RenderBanner(TenantRole.Owner);

        banner.WaitForAssertion(() => Assert.Equal("90", banner.Find("#quota-banner").GetAttribute("data-level")));
        var item = banner.Find(".quota-banner-item");
        Assert.Equal("false", item.GetAttribute("data-hard-limit"));
        Assert.Contains("Beyond 100 %, overage is billed at $0.001 per call", item.TextContent);
        Assert.DoesNotContain("refused", item.TextContent);
    }

    [Fact]
    public async Task Render_SaysWhatTheOverageCostsSoFar_OnAPaidPlanPastItsQuota()
    {
        await ReportAsync(UsageMetric.GpuHours, 60);

        var banner = RenderBanner(TenantRole.Owner);

        banner.WaitForAssertion(() => Assert.Equal("100", banner.Find("#quota-banner").GetAttribute("data-level")));
        Assert.Contains("Overage is billed at $2.50 per GPU hour: 10 h so far, $25.00.", banner.Find(".quota-banner-item").TextContent);
    }

    [Fact]
    public async Task Render_OffersTheOwnerTheUpgrade_OnBilling()
    {
        await SetPlanAsync(SubscriptionTier.Free);
        await ReportAsync(UsageMetric.ApiCalls, 9_200);

        var banner = RenderBanner(TenantRole.Owner);

        banner.WaitForAssertion(() => Assert.Single(banner.FindAll("#quota-upgrade")));
        Assert.Equal("t/bunit-team/billing?change=plan", banner.Find("#quota-upgrade").GetAttribute("href"));
        Assert.Contains("Upgrade", banner.Find("#quota-upgrade").TextContent);
        Assert.Empty(banner.FindAll("#quota-ask-owner"));
    }

    [Theory]
    [InlineData(TenantRole.Admin)]
    [InlineData(TenantRole.Member)]
    [InlineData(TenantRole.Viewer)]
    public async Task Render_OffersAskAnOwner_ToTheOtherRoles(TenantRole role)
    {
        await SetPlanAsync(SubscriptionTier.Free);
        await ReportAsync(UsageMetric.ApiCalls, 9_200);

        var banner = RenderBanner(role);

        banner.WaitForAssertion(() => Assert.Single(banner.FindAll("#quota-ask-owner")));
        Assert.Empty(banner.FindAll("#quota-upgrade"));
    }

    [Fact]
    public async Task AskAnOwner_NotifiesEachOwnerOnce_AndSaysSo()
    {
        await ReportAsync(UsageMetric.ApiCalls, 92_000); // Starter: 92 % of 100,000, the only quota past 80 %
        var banner = RenderBanner(TenantRole.Viewer);
        banner.WaitForAssertion(() => Assert.Single(banner.FindAll("#quota-ask-owner")));

        await banner.Find("#quota-ask-owner").ClickAsync(new());

        banner.WaitForAssertion(() => Assert.Contains("You asked the owners on 10 June 2026", banner.Find("#quota-asked").TextContent));
        var notices = await NoticesAsync();
        var notice = Assert.Single(notices);
        Assert.Equal(UserIdOf(TenantRole.Owner), notice.UserId);
        Assert.Equal("/t/bunit-team/billing?change=plan", notice.Link);
        Assert.Contains("API calls is at 92 %", notice.Message);

        // Asking again (another tab, a later visit) notifies no one again.
        using var scope = Services.CreateScope();
        var again = await scope.ServiceProvider.GetRequiredService<OwnerAskService>().AskAsync(ActorOf(TenantRole.Viewer), UsageMetric.ApiCalls, CancellationToken.None);
        Assert.True(again.IsSuccess);
        Assert.True(again.Value.AlreadyAsked);
        Assert.Single(await NoticesAsync());
        var later = Render<QuotaBanner>(p => p.Add(x => x.Access, banner.Instance.Access));
        later.WaitForAssertion(() => Assert.Single(later.FindAll("#quota-asked")));
        Assert.Empty(later.FindAll("#quota-ask-owner"));
    }

    [Fact]
    public async Task AskAnOwner_IsRefused_ForAQuotaBelowTheFirstThreshold_AndForAnOwner()
    {
        await SetPlanAsync(SubscriptionTier.Free);
        await ReportAsync(UsageMetric.ApiCalls, 1_000);
        using var scope = Services.CreateScope();
        var asks = scope.ServiceProvider.GetRequiredService<OwnerAskService>();

        var below = await asks.AskAsync(ActorOf(TenantRole.Member), UsageMetric.ApiCalls, CancellationToken.None);
        var owner = await asks.AskAsync(ActorOf(TenantRole.Owner), UsageMetric.ApiCalls, CancellationToken.None);

        Assert.Equal((ErrorCodes.Invalid, "metric"), (below.Error!.Code, below.Error.Field));
        Assert.Equal(ErrorCodes.Invalid, owner.Error!.Code);
        Assert.Empty(await NoticesAsync());
    }

    [Theory]
    [InlineData(TenantRole.Owner)]
    [InlineData(TenantRole.Viewer)]
    public async Task Render_SaysWhyAndWhatToDo_AtASuspensionByTheOperators_WithoutAnAction(TenantRole role)
    {
        await SetPlanAsync(SubscriptionTier.Starter, TenantStatus.Suspended);

        var banner = RenderBanner(role);

        banner.WaitForAssertion(() => Assert.Equal("suspended", banner.Find("#quota-banner").GetAttribute("data-level")));
        Assert.Contains("Requests are refused: the workspace is suspended", banner.Find("#quota-banner").TextContent);
        Assert.Contains("contact support", banner.Find(".quota-banner-detail").TextContent);
        // Only an operator lifts it: neither the plan change nor asking an owner helps.
        Assert.Empty(banner.FindAll("#quota-upgrade"));
        Assert.Empty(banner.FindAll("#quota-ask-owner"));
    }

    [Fact]
    public async Task OverviewPanel_ShowsTheBanner_AndItsRedCardLinksToIt()
    {
        await SetPlanAsync(SubscriptionTier.Free);
        await ReportAsync(UsageMetric.ApiCalls, 9_200);
        var access = SignInInteractivelyAs(TenantRole.Owner);
        Render<MudPopoverProvider>();

        var panel = Render<TenantOverviewPanel>(p => p.Add(x => x.Access, access));

        panel.WaitForAssertion(() => Assert.Single(panel.FindAll("#quota-banner")));
        var link = panel.Find("#card-api_calls .quota-banner-link");
        Assert.EndsWith("#quota-banner", link.GetAttribute("href"));
        Assert.Empty(panel.FindAll("#card-storage_gb .quota-banner-link"));
    }

    private IRenderedComponent<QuotaBanner> RenderBanner(TenantRole role)
    {
        var access = SignInInteractivelyAs(role);
        Render<MudPopoverProvider>();
        return Render<QuotaBanner>(p => p.Add(x => x.Access, access));
    }

    private string UserIdOf(TenantRole role) => ActorOf(role).UserId;

    private async Task<List<TenantPortal.Core.Notifications.Notification>> NoticesAsync()
    {
        await using var db = Database.CrossTenant();
        return await db.Notifications.AsNoTracking().Where(n => n.DeduplicationKey != null && n.DeduplicationKey.StartsWith("ask-owner:")).ToListAsync();
    }
}
