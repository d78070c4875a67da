using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Tests.Builders;

namespace TenantPortal.Tests.Core.Billing;

public class PlanChangeRulesTests
{
    private static Tenant Subscribed(SubscriptionTier tier, BillingCycle cycle = BillingCycle.Monthly) =>
        new TenantBuilder().OnPlan(tier, cycle).Build();

    [Theory]
    [InlineData(SubscriptionTier.Starter, BillingCycle.Monthly, SubscriptionTier.Professional, BillingCycle.Monthly, PlanChangeKind.Upgrade)]
    [InlineData(SubscriptionTier.Starter, BillingCycle.Monthly, SubscriptionTier.Starter, BillingCycle.Annual, PlanChangeKind.Upgrade)]
    [InlineData(SubscriptionTier.Professional, BillingCycle.Monthly, SubscriptionTier.Starter, BillingCycle.Monthly, PlanChangeKind.Downgrade)]
    [InlineData(SubscriptionTier.Starter, BillingCycle.Annual, SubscriptionTier.Starter, BillingCycle.Monthly, PlanChangeKind.Downgrade)]
    [InlineData(SubscriptionTier.Starter, BillingCycle.Monthly, SubscriptionTier.Free, BillingCycle.Monthly, PlanChangeKind.Downgrade)]
    [InlineData(SubscriptionTier.Starter, BillingCycle.Monthly, SubscriptionTier.Starter, BillingCycle.Monthly, PlanChangeKind.Same)]
    public void Classify_ASubscribedTenant(SubscriptionTier tier, BillingCycle cycle, SubscriptionTier to, BillingCycle toCycle, PlanChangeKind expected) =>
        Assert.Equal(expected, PlanChangeRules.Classify(Subscribed(tier, cycle), to, toCycle));

    [Fact]
    public void Classify_ATrial_SubscribesToAPaidTier_OrSwitchesToFree()
    {
        var trial = new TenantBuilder().OnPlan(SubscriptionTier.Starter).WithStatus(TenantStatus.Trial).Build();

        Assert.Equal(PlanChangeKind.Subscribe, PlanChangeRules.Classify(trial, SubscriptionTier.Starter, BillingCycle.Monthly));
        Assert.Equal(PlanChangeKind.Subscribe, PlanChangeRules.Classify(trial, SubscriptionTier.Professional, BillingCycle.Annual));
        Assert.Equal(PlanChangeKind.SwitchToFree, PlanChangeRules.Classify(trial, SubscriptionTier.Free, BillingCycle.Monthly));
    }

    [Fact]
    public void Classify_ACancelledOrFreeTenant_SubscribesAgain()
    {
        var cancelled = new TenantBuilder().OnPlan(SubscriptionTier.Professional).WithStatus(TenantStatus.Cancelled).Build();
        var free = new TenantBuilder().OnPlan(SubscriptionTier.Free).Build();

        Assert.Equal(PlanChangeKind.Subscribe, PlanChangeRules.Classify(cancelled, SubscriptionTier.Starter, BillingCycle.Monthly));
        Assert.Equal(PlanChangeKind.Subscribe, PlanChangeRules.Classify(free, SubscriptionTier.Starter, BillingCycle.Monthly));
        Assert.Equal(PlanChangeKind.Same, PlanChangeRules.Classify(free, SubscriptionTier.Free, BillingCycle.Monthly));
    }

    [Fact]
    public void Blockers_NameEveryHardLimitTheUsageExceeds()
    {
        var used = new Dictionary<UsageMetric, decimal>
        {
            [UsageMetric.ApiCalls] = 250_000, [UsageMetric.StorageGb] = 40, [UsageMetric.GpuHours] = 3, [UsageMetric.Users] = 12, [UsageMetric.Studies] = 2_000,
        };

        var toStarter = PlanChangeRules.Blockers(SubscriptionTier.Starter, used, null);
        var toFree = PlanChangeRules.Blockers(SubscriptionTier.Free, used, null);

        // Starter bills API calls over its quota, but seats are a hard limit everywhere.
        Assert.Equal(["Seats: 12 seats in use, Starter allows 10"], toStarter);
        Assert.Equal(4, toFree.Count);
        Assert.Contains(toFree, b => b.StartsWith("API calls: 250,000 calls in use, Free allows 10,000", StringComparison.Ordinal));
        Assert.Contains(toFree, b => b.StartsWith("Studies: 2,000", StringComparison.Ordinal));
    }

    [Fact]
    public void Blockers_HonourAnOperatorsOverride()
    {
        var used = new Dictionary<UsageMetric, decimal> { [UsageMetric.Users] = 12 };
        var overrides = new[] { new QuotaOverride { Metric = UsageMetric.Users, Limit = 15 } };

        Assert.Empty(PlanChangeRules.Blockers(SubscriptionTier.Starter, used, overrides));
    }
}
