using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;

namespace TenantPortal.Tests.Core;

public class PlanCatalogTests
{
    [Theory]
    [InlineData(SubscriptionTier.Free, 0, 10_000, 10, 5, 5, 1_000)]
    [InlineData(SubscriptionTier.Starter, 49_00, 100_000, 100, 50, 10, 10_000)]
    [InlineData(SubscriptionTier.Professional, 199_00, 1_000_000, 1_000, 200, 50, 100_000)]
    [InlineData(SubscriptionTier.Enterprise, 999_00, -1, -1, -1, -1, -1)]
    public void For_ReturnsTheNumbersOfTheSpecification_ForEachTier(
        SubscriptionTier tier, long priceCents, int apiCalls, int storageGb, int gpuHours, int users, int studies)
    {
        var plan = PlanCatalog.For(tier);

        Assert.Equal(priceCents, plan.MonthlyPriceCents);
        Assert.Equal(apiCalls, plan.Limit(UsageMetric.ApiCalls));
        Assert.Equal(storageGb, plan.Limit(UsageMetric.StorageGb));
        Assert.Equal(gpuHours, plan.Limit(UsageMetric.GpuHours));
        Assert.Equal(users, plan.Limit(UsageMetric.Users));
        Assert.Equal(studies, plan.Limit(UsageMetric.Studies));
    }

    [Fact]
    public void AnnualPrice_IsTenTimesTheMonthlyPrice()
    {
        Assert.Equal(1_990_00, PlanCatalog.Professional.AnnualPriceCents);
        Assert.Equal(490_00, PlanCatalog.Starter.PriceCents(BillingCycle.Annual));
        Assert.Equal(49_00, PlanCatalog.Starter.PriceCents(BillingCycle.Monthly));
    }

    [Fact]
    public void AllowsOverage_IsFalse_OnFreeAndForMetricsWithoutAPrice()
    {
        Assert.False(PlanCatalog.Free.AllowsOverage(UsageMetric.ApiCalls));
        Assert.True(PlanCatalog.Starter.AllowsOverage(UsageMetric.ApiCalls));
        Assert.True(PlanCatalog.Professional.AllowsOverage(UsageMetric.GpuHours));
        Assert.False(PlanCatalog.Professional.AllowsOverage(UsageMetric.Users));
        Assert.False(PlanCatalog.Professional.AllowsOverage(UsageMetric.Studies));
    }

    [Fact]
    public void EffectiveLimit_UsesTheOperatorOverride_WhenOneIsSet()
    {
        var overrides = new[] { new QuotaOverride { Metric = UsageMetric.ApiCalls, Limit = 250_000 } };

        Assert.Equal(250_000, PlanCatalog.EffectiveLimit(SubscriptionTier.Starter, UsageMetric.ApiCalls, overrides));
        Assert.Equal(100, PlanCatalog.EffectiveLimit(SubscriptionTier.Starter, UsageMetric.StorageGb, overrides));
    }

    [Fact]
    public void All_ListsTheFourTiers_CheapestFirst()
    {
        Assert.Equal([SubscriptionTier.Free, SubscriptionTier.Starter, SubscriptionTier.Professional, SubscriptionTier.Enterprise],
            PlanCatalog.All.Select(p => p.Tier));
    }
}
