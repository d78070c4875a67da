using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;

namespace TenantPortal.Tests.Core;

public class OverageCalculatorTests
{
    [Fact]
    public void MonthlyTotalCents_Is27630_ForTheWorkedExampleOfTheSpecification()
    {
        var usage = new PeriodUsage(ApiCalls: 1_050_000, StorageGbMonths: 1_100, GpuHours: 210);

        var lines = OverageCalculator.Lines(PlanCatalog.Professional, usage);
        var total = OverageCalculator.MonthlyTotalCents(PlanCatalog.Professional, usage);

        Assert.Equal(27_630, total);
        Assert.Equal("$276.30", Money.Format(total));
        Assert.Equal(5_000, lines.Single(l => l.Metric == UsageMetric.ApiCalls).AmountCents);
        Assert.Equal(230, lines.Single(l => l.Metric == UsageMetric.StorageGb).AmountCents);
        Assert.Equal(2_500, lines.Single(l => l.Metric == UsageMetric.GpuHours).AmountCents);
    }

    [Fact]
    public void Lines_IsEmpty_WhenUsageIsWithinQuota()
    {
        var lines = OverageCalculator.Lines(PlanCatalog.Starter, new PeriodUsage(100_000, 100, 50));

        Assert.Empty(lines);
    }

    [Fact]
    public void Lines_IsEmpty_OnTheFreeTier_EvenOverQuota()
    {
        Assert.Empty(OverageCalculator.Lines(PlanCatalog.Free, new PeriodUsage(50_000, 40, 20)));
    }

    [Fact]
    public void Lines_IsEmpty_OnEnterprise_BecauseItIsUnlimited()
    {
        Assert.Empty(OverageCalculator.Lines(PlanCatalog.Enterprise, new PeriodUsage(99_000_000, 50_000, 9_000)));
    }

    [Fact]
    public void Lines_RoundsEachLineOnceHalfAwayFromZero()
    {
        // 5 calls over at 0.1 cent = 0.5 cent -> 1 cent; 0.5 GB-month over at 2.3 cents = 1.15 cents -> 1 cent.
        var lines = OverageCalculator.Lines(PlanCatalog.Starter, new PeriodUsage(100_005, 100.5m, 0));

        Assert.Equal(1, lines.Single(l => l.Metric == UsageMetric.ApiCalls).AmountCents);
        Assert.Equal(1, lines.Single(l => l.Metric == UsageMetric.StorageGb).AmountCents);
    }

    [Fact]
    public void Lines_UsesTheOverride_AsTheIncludedQuantity()
    {
        var overrides = new[] { new QuotaOverride { Metric = UsageMetric.GpuHours, Limit = 300 } };

        var lines = OverageCalculator.Lines(PlanCatalog.Professional, new PeriodUsage(0, 0, 310), overrides);

        Assert.Equal(2_500, lines.Single().AmountCents);
        Assert.Equal(300, lines.Single().Included);
    }
}
