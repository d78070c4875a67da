using Bunit;
using MudBlazor;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Web.Components.Tenant;

namespace TenantPortal.Tests.Web.Components;

// The tenant is on Starter: 100,000 API calls, 100 GB, 50 GPU hours, 10 seats, $49 a month; it has 4 members.
public class TenantOverviewPanelTests : UsageComponentTestContext
{
    [Fact]
    public async Task Render_ShowsUsedAgainstQuotaWithPercentage_OnEachMetricCard()
    {
        await ReportAsync(UsageMetric.ApiCalls, 30_000);
        await ReportAsync(UsageMetric.StorageGb, 75);
        await ReportAsync(UsageMetric.GpuHours, 45);

        var panel = RenderPanel(TenantRole.Owner);

        panel.WaitForAssertion(() => Assert.Equal("30", panel.Find("#card-api_calls").GetAttribute("data-percentage")));
        AssertCard(panel, "card-api_calls", "30,000", "/ 100,000 calls", "30 % of quota");
        AssertCard(panel, "card-storage_gb", "75", "/ 100 GB", "75 % of quota");
        AssertCard(panel, "card-gpu_hours", "45", "/ 50 h", "90 % of quota");
        Assert.Equal("75", panel.Find("#card-storage_gb").GetAttribute("data-percentage"));
        Assert.Equal("90", panel.Find("#card-gpu_hours").GetAttribute("data-percentage"));
    }

    [Theory]
    [InlineData(69, "Green", "mud-progress-linear-color-success")]
    [InlineData(70, "Yellow", "mud-progress-linear-color-warning")]
    [InlineData(90, "Red", "mud-progress-linear-color-error")]
    public async Task Render_ColoursACardByItsBand(int storageGb, string band, string barClass)
    {
        await ReportAsync(UsageMetric.StorageGb, storageGb);

        var panel = RenderPanel(TenantRole.Viewer);

        panel.WaitForAssertion(() => Assert.Equal(band, panel.Find("#card-storage_gb").GetAttribute("data-band")));
        Assert.Contains(barClass, panel.Find("#card-storage_gb .mud-progress-linear").ClassList);
    }

    [Fact]
    public async Task Render_SaysUnlimited_AndShowsNoPercentage_OnAnEnterprisePlan()
    {
        await SetPlanAsync(SubscriptionTier.Enterprise);
        await ReportAsync(UsageMetric.GpuHours, 1_234.5m);

        var panel = RenderPanel(TenantRole.Owner);

        panel.WaitForAssertion(() => Assert.Contains("Unlimited on your plan", panel.Find("#card-gpu_hours").TextContent));
        var card = panel.Find("#card-gpu_hours");
        Assert.Contains("1,234.5", card.TextContent);
        Assert.Contains("/ unlimited h", Normalize(card.TextContent));
        Assert.Null(card.GetAttribute("data-percentage"));
        Assert.Equal("Green", card.GetAttribute("data-band"));
        Assert.DoesNotContain("%", card.TextContent);
        Assert.Null(panel.Find("#card-seats").GetAttribute("data-percentage"));
    }

    [Fact]
    public void Render_ShowsMembersAgainstSeats_OnTheTeamCard()
    {
        var panel = RenderPanel(TenantRole.Member);

        panel.WaitForAssertion(() => Assert.Equal("40", panel.Find("#card-seats").GetAttribute("data-percentage")));
        AssertCard(panel, "card-seats", "4", "/ 10 seats", "40 % of quota");
    }

    [Fact]
    public async Task Render_CountsDownTheTrial_OnThePlanCard()
    {
        await SetPlanAsync(SubscriptionTier.Professional, TenantStatus.Trial, trialEndsAt: Now.AddDays(5));

        var panel = RenderPanel(TenantRole.Owner);

        panel.WaitForAssertion(() => Assert.Equal("5", panel.Find("#card-plan").GetAttribute("data-days-left")));
        var card = panel.Find("#card-plan");
        Assert.Contains("Professional", card.TextContent);
        Assert.Contains("5 days left in trial", card.TextContent);
        Assert.Contains("$199.00 / month", Normalize(card.TextContent));
    }

    [Fact]
    public void Render_ShowsThePlanStatus_WhenNotInTrial()
    {
        var panel = RenderPanel(TenantRole.Owner);

        panel.WaitForAssertion(() => Assert.Equal("Active", panel.Find("#card-plan").GetAttribute("data-status")));
        var card = panel.Find("#card-plan");
        Assert.Null(card.GetAttribute("data-days-left"));
        Assert.Contains("Starter", card.TextContent);
        Assert.DoesNotContain("trial", card.TextContent, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(SubscriptionTier.Free, TenantStatus.Active)]
    [InlineData(SubscriptionTier.Starter, TenantStatus.Active)]
    [InlineData(SubscriptionTier.Starter, TenantStatus.PastDue)]
    [InlineData(SubscriptionTier.Starter, TenantStatus.Suspended)]
    [InlineData(SubscriptionTier.Starter, TenantStatus.Cancelled)]
    public async Task Render_SaysTheStatusOnce_OnThePlanCard(SubscriptionTier tier, TenantStatus status)
    {
        await SetPlanAsync(tier, status);

        var panel = RenderPanel(TenantRole.Owner);

        panel.WaitForAssertion(() => Assert.Equal(status.ToString(), panel.Find("#card-plan").GetAttribute("data-status")));
        var card = panel.Find("#card-plan");
        var chip = panel.Find("#card-plan .mud-chip").TextContent.Trim();
        var detail = card.QuerySelector(".plan-detail")?.TextContent.Trim() ?? "";
        // The chip names the status; the line next to it says something else (today "Active Active" on a Free plan).
        Assert.DoesNotContain(chip, detail, StringComparison.OrdinalIgnoreCase);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(Normalize(card.TextContent), System.Text.RegularExpressions.Regex.Escape(chip)));
    }

    [Fact]
    public async Task Render_SaysAFreePlanNeedsNoPayment_OnThePlanCard()
    {
        await SetPlanAsync(SubscriptionTier.Free);

        var panel = RenderPanel(TenantRole.Owner);

        panel.WaitForAssertion(() => Assert.Contains("Free", panel.Find("#card-plan").TextContent));
        Assert.Contains("No payment needed", panel.Find("#card-plan .plan-detail").TextContent);
    }

    [Fact]
    public async Task Render_ShowsTheQuotaBanner_AndTheRedCardLinksToIt_OnAHardLimitAt92Percent()
    {
        // As the demo tenant initech: Free, 9,200 of its 10,000 API calls (a hard limit) used.
        await SetPlanAsync(SubscriptionTier.Free);
        await ReportAsync(UsageMetric.ApiCalls, 9_200);

        var panel = RenderPanel(TenantRole.Owner);

        panel.WaitForAssertion(() => Assert.Equal("Red", panel.Find("#card-api_calls").GetAttribute("data-band")));
        panel.WaitForAssertion(() => Assert.Single(panel.FindAll("#quota-banner")));
        Assert.Contains("Requests will be refused at 100 %", panel.Find("#quota-banner").TextContent);
        Assert.EndsWith("#quota-banner", panel.Find("#card-api_calls .quota-banner-link").GetAttribute("href"));
        Assert.Empty(panel.FindAll("#card-storage_gb .quota-banner-link"));
    }

    [Fact]
    public async Task Render_EstimatesTheCostAsBasePlusOverageSoFar()
    {
        await ReportAsync(UsageMetric.GpuHours, 60); // 10 hours over 50 at $2.50

        var panel = RenderPanel(TenantRole.Owner);

        panel.WaitForAssertion(() => Assert.Equal("7400", panel.Find("#card-cost").GetAttribute("data-cents")));
        var card = panel.Find("#card-cost");
        Assert.Contains("$74.00", card.TextContent);
        Assert.Contains("$49.00 base + $25.00 overage so far", Normalize(card.TextContent));
    }

    [Theory]
    [InlineData(TenantRole.Admin, true)]
    [InlineData(TenantRole.Member, false)]
    public void Render_ShowsRecentInvoices_OnlyToThoseWhoMayViewBilling(TenantRole role, bool shown)
    {
        var panel = RenderPanel(role);

        panel.WaitForAssertion(() => Assert.Single(panel.FindAll("#card-cost")));
        Assert.Equal(shown, panel.FindAll("#recent-invoices").Count == 1);
    }

    [Fact]
    public async Task Refresh_ShowsNewUsage_WithoutAReload()
    {
        await ReportAsync(UsageMetric.GpuHours, 5);
        var panel = RenderPanel(TenantRole.Owner);
        panel.WaitForAssertion(() => Assert.Equal("10", panel.Find("#card-gpu_hours").GetAttribute("data-percentage")));

        await ReportAsync(UsageMetric.GpuHours, 20);
        Assert.Equal("10", panel.Find("#card-gpu_hours").GetAttribute("data-percentage"));
        Clock.Advance(TimeSpan.FromSeconds(10));

        panel.WaitForAssertion(() => Assert.Equal("50", panel.Find("#card-gpu_hours").GetAttribute("data-percentage")));
        Assert.Contains("25", panel.Find("#card-gpu_hours .stat-value").TextContent);
    }

    private IRenderedComponent<TenantOverviewPanel> RenderPanel(TenantRole role, TimeSpan? refresh = null)
    {
        var access = SignInInteractivelyAs(role);
        Render<MudPopoverProvider>();
        return Render<TenantOverviewPanel>(p =>
        {
            p.Add(x => x.Access, access);
            if (refresh is { } interval)
                p.Add(x => x.RefreshInterval, interval);
        });
    }

    private static void AssertCard(IRenderedComponent<TenantOverviewPanel> panel, string id, string value, string limit, string percentage)
    {
        var card = panel.Find($"#{id}");
        Assert.Equal(value, card.QuerySelector(".stat-value")!.TextContent.Trim());
        Assert.Equal(limit, Normalize(card.QuerySelector(".stat-limit")!.TextContent));
        Assert.Equal(percentage, card.QuerySelector(".stat-percentage")!.TextContent.Trim());
    }

    private static string Normalize(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim();
}
