using Bunit;
using MudBlazor;
using TenantPortal.Core.Members;
using TenantPortal.Core.Usage;
using TenantPortal.Web.Components.Tenant;

namespace TenantPortal.Tests.Web.Components;

// Starter plan (50 GPU hours, 100,000 API calls, $49), today is 10 June 2026 (day 10 of 30).
public class TenantUsagePanelTests : UsageComponentTestContext
{
    [Fact]
    public void Render_ShowsABarForEveryMetric_AndNoComingSoonNote()
    {
        var panel = RenderPanel();

        panel.WaitForAssertion(() => Assert.Equal(5, panel.FindAll(".usage-bar").Count));
        Assert.Empty(panel.FindAll("#usage-coming-soon"));
    }

    [Fact]
    public async Task Render_ProjectsTheDayACounterReachesItsQuota()
    {
        // 3 GPU hours a day for 10 days: 30 so far; 50 is reached on day 17 (30 + 3 x 7 = 51).
        await ReportManyAsync(Enumerable.Range(0, 10)
            .Select(d => (UsageMetric.GpuHours, 3m, new DateTimeOffset(2026, 6, 1 + d, 9, 0, 0, TimeSpan.Zero))).ToArray());

        var panel = RenderPanel();

        panel.WaitForAssertion(() => Assert.Equal("2026-06-17", Row(panel, "gpu_hours").GetAttribute("data-limit-date")));
        var row = Row(panel, "gpu_hours");
        Assert.Contains("17 June", row.QuerySelector(".limit-date")!.TextContent);
        Assert.Contains("90 h", row.TextContent); // 30 + 3 x 20 days left
        Assert.Contains("not this period", Row(panel, "api_calls").QuerySelector(".limit-date")!.TextContent);
    }

    [Fact]
    public async Task Render_ListsTheBaseAndEachOverageLine_WithTheEstimatedTotal()
    {
        await ReportAsync(UsageMetric.GpuHours, 60);          // 10 h over at $2.50 = $25.00
        await ReportAsync(UsageMetric.ApiCalls, 101_000);     // 1,000 calls over at $0.001 = $1.00

        var panel = RenderPanel();

        panel.WaitForAssertion(() => Assert.Equal("7500", panel.Find("#usage-cost").GetAttribute("data-cents")));
        Assert.Contains("$49.00", panel.Find("tr[data-line='base']").TextContent);
        var gpu = panel.Find("tr[data-line='gpu_hours']").TextContent;
        Assert.Contains("10 h", gpu);
        Assert.Contains("$2.50 / hour", gpu);
        Assert.Contains("$25.00", gpu);
        var calls = panel.Find("tr[data-line='api_calls']").TextContent;
        Assert.Contains("1,000 calls", calls);
        Assert.Contains("$0.001 / call", calls);
        Assert.Contains("$1.00", calls);
        Assert.Equal("$75.00", panel.Find("#cost-total").TextContent.Trim());
    }

    [Fact]
    public void Render_ChartsTheChosenMetric()
    {
        var panel = RenderPanel();
        panel.WaitForAssertion(() => Assert.Equal("api_calls", panel.Find("#usage-chart").GetAttribute("data-metric")));

        panel.FindAll("#usage-chart .mud-toggle-item").Single(b => b.TextContent.Contains("GPU hours")).Click();

        panel.WaitForAssertion(() => Assert.Equal("gpu_hours", panel.Find("#usage-chart").GetAttribute("data-metric")));
        Assert.Contains("GPU hours", panel.Find("#usage-chart").TextContent);
    }

    [Fact]
    public async Task Refresh_ShowsNewUsage_WithoutAReload()
    {
        var panel = RenderPanel();
        panel.WaitForAssertion(() => Assert.Contains("0 / 50 h", GpuBar(panel)));

        await ReportAsync(UsageMetric.GpuHours, 5);
        Assert.Contains("0 / 50 h", GpuBar(panel));
        Clock.Advance(TimeSpan.FromSeconds(10));

        panel.WaitForAssertion(() => Assert.Contains("5 / 50 h", GpuBar(panel)));
    }

    private IRenderedComponent<TenantUsagePanel> RenderPanel(TimeSpan? refresh = null)
    {
        var access = SignInInteractivelyAs(TenantRole.Viewer);
        Render<MudPopoverProvider>();
        return Render<TenantUsagePanel>(p =>
        {
            p.Add(x => x.Access, access);
            if (refresh is { } interval)
                p.Add(x => x.RefreshInterval, interval);
        });
    }

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<TenantUsagePanel> panel, string metric) =>
        panel.Find($"tr.projection-row[data-metric='{metric}']");

    private static string GpuBar(IRenderedComponent<TenantUsagePanel> panel) =>
        System.Text.RegularExpressions.Regex.Replace(panel.Find(".usage-bar[data-metric='gpu_hours']").TextContent, @"\s+", " ");
}
