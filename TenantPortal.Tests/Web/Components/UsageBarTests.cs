using Bunit;
using TenantPortal.Core.Quotas;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Components.Shared;

namespace TenantPortal.Tests.Web.Components;

public class UsageBarTests : BunitTestContext
{
    [Theory]
    [InlineData(699, QuotaBand.Green, "mud-progress-linear-color-success")]
    [InlineData(700, QuotaBand.Yellow, "mud-progress-linear-color-warning")]
    [InlineData(899, QuotaBand.Yellow, "mud-progress-linear-color-warning")]
    [InlineData(900, QuotaBand.Red, "mud-progress-linear-color-error")]
    public void Render_ColoursTheBarByBand(int used, QuotaBand band, string cssClass)
    {
        var usage = new CurrentUsage(UsageMetric.ApiCalls, used, 1_000, QuotaCalculator.Percentage(used, 1_000));

        var bar = Render<UsageBar>(p => p.Add(x => x.Usage, usage));

        Assert.Equal(band.ToString(), bar.Find(".usage-bar").GetAttribute("data-band"));
        Assert.Contains(cssClass, bar.Find(".mud-progress-linear").ClassList);
        Assert.Contains($"{used:N0} / 1,000 calls", bar.Markup);
    }

    [Fact]
    public void Render_SaysUnlimited_AndShowsNoPercentage_ForAnUnlimitedQuota()
    {
        var usage = new CurrentUsage(UsageMetric.GpuHours, 12.5m, -1, null);

        var bar = Render<UsageBar>(p => p.Add(x => x.Usage, usage));

        Assert.Contains("12.5 / unlimited h", bar.Markup);
        Assert.DoesNotContain("%", bar.Find(".usage-bar").TextContent);
        Assert.Equal("Green", bar.Find(".usage-bar").GetAttribute("data-band"));
    }

    [Theory]
    [InlineData(900, "quota-banner", true)]
    [InlineData(899, "quota-banner", false)]
    [InlineData(1_200, null, false)]
    public void Render_LinksToTheQuotaBanner_OnlyInTheRedBand_WhereThePageHasOne(int used, string? anchor, bool linked)
    {
        var usage = new CurrentUsage(UsageMetric.ApiCalls, used, 1_000, QuotaCalculator.Percentage(used, 1_000));

        var bar = Render<UsageBar>(p => p.Add(x => x.Usage, usage).Add(x => x.BannerAnchor, anchor));

        var links = bar.FindAll(".quota-banner-link");
        Assert.Equal(linked, links.Count == 1);
        if (linked)
            Assert.EndsWith("#quota-banner", links[0].GetAttribute("href"));
    }

    [Fact]
    public void Render_NamesTheProgressBar_WithTheMetricItsShareAndTheQuota()
    {
        var usage = new CurrentUsage(UsageMetric.ApiCalls, 9_200, 10_000, QuotaCalculator.Percentage(9_200, 10_000));

        var bar = Render<UsageBar>(p => p.Add(x => x.Usage, usage));

        var progress = bar.Find("[role='progressbar']");
        Assert.Equal("API calls: 92 % of 10,000 calls", progress.GetAttribute("aria-label"));
    }

    [Fact]
    public void Render_NamesTheProgressBar_OfAnUnlimitedQuota()
    {
        var usage = new CurrentUsage(UsageMetric.GpuHours, 12.5m, -1, null);

        var bar = Render<UsageBar>(p => p.Add(x => x.Usage, usage));

        Assert.Equal("GPU hours: 12.5 h used, unlimited", bar.Find("[role='progressbar']").GetAttribute("aria-label"));
    }

    [Fact]
    public void QuotaCard_NamesItsProgressBar_WithTheMetricItsShareAndTheQuota()
    {
        var usage = new CurrentUsage(UsageMetric.StorageGb, 45.5m, 50, QuotaCalculator.Percentage(45.5m, 50));

        var card = Render<QuotaCard>(p => p.Add(x => x.Usage, usage).Add(x => x.Id, "card-storage_gb"));

        Assert.Equal("Storage: 91 % of 50 GB", card.Find("[role='progressbar']").GetAttribute("aria-label"));
    }
}
