using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Tests.Builders;

namespace TenantPortal.Tests.Core.Billing;

/// <summary>The spend budget's rules on the tenant and its arithmetic: cents as the invoice rounds them, thresholds, the boundary.</summary>
public class SpendBudgetsTests
{
    [Fact]
    public void SetSpendBudget_IsRefused_OnFree()
    {
        var tenant = new TenantBuilder().OnPlan(SubscriptionTier.Free).Build();

        var result = tenant.SetSpendBudget(100, BudgetAction.Block);

        Assert.Equal(ErrorCodes.Conflict, result.Error?.Code);
        Assert.Null(tenant.SpendBudgetCents);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-100L)]
    [InlineData(SpendBudgets.MaxCents + 1)]
    public void SetSpendBudget_RefusesAnAmountOutOfRange_NamingAmountCents(long cents)
    {
        var tenant = new TenantBuilder().OnPlan(SubscriptionTier.Starter).Build();

        var result = tenant.SetSpendBudget(cents, BudgetAction.Alert);

        Assert.Equal("amountCents", result.Error?.Field);
        Assert.Null(tenant.SpendBudgetAction);
    }

    [Fact]
    public void SetSpendBudget_SaysWhetherSomethingChanged_AndRemoveClearsBoth()
    {
        var tenant = new TenantBuilder().OnPlan(SubscriptionTier.Professional).Build();

        Assert.True(tenant.SetSpendBudget(SpendBudgets.MaxCents, BudgetAction.Block).Value);
        Assert.False(tenant.SetSpendBudget(SpendBudgets.MaxCents, BudgetAction.Block).Value);
        Assert.True(tenant.BlocksPastSpendBudget);
        Assert.True(tenant.RemoveSpendBudget());
        Assert.False(tenant.RemoveSpendBudget());
        Assert.Equal((null, null, false), (tenant.SpendBudgetCents, tenant.SpendBudgetAction, tenant.BlocksPastSpendBudget));
    }

    [Theory]
    [InlineData(100_990, 0, false)]   // 99 cents
    [InlineData(100_990, 5, false)]   // 99.5 → 100: exactly the budget
    [InlineData(100_990, 14, false)]  // 100.4 → 100
    [InlineData(100_990, 15, true)]   // 100.5 → 101: one cent over
    [InlineData(99_000, 1_000, false)] // within the quota until the last call: 0 cents
    public void WouldExceed_PricesTheAmountAsTheInvoiceRoundsIt(int used, int amount, bool exceeds)
    {
        var tenant = new TenantBuilder().OnPlan(SubscriptionTier.Starter).Build();
        tenant.SetSpendBudget(100, BudgetAction.Block);

        Assert.Equal(exceeds, SpendBudgets.WouldExceed(tenant, UsageMetric.ApiCalls, amount, new PeriodUsage(used, 0, 0)));
    }

    [Fact]
    public void WouldExceed_AddsNothingForAStorageAmount_ButCountsStorageOverageSoFar()
    {
        var tenant = new TenantBuilder().OnPlan(SubscriptionTier.Starter).Build(); // 100 GB included, 2.3 cents per GB-month
        tenant.SetSpendBudget(23, BudgetAction.Block);

        Assert.False(SpendBudgets.WouldExceed(tenant, UsageMetric.StorageGb, 1_000, new PeriodUsage(0, 110, 0)));  // 10 GB-months over: 23 cents
        Assert.False(SpendBudgets.WouldExceed(tenant, UsageMetric.ApiCalls, 100_001, new PeriodUsage(0, 110, 0))); // one call over: 0.1 cent, rounds to 0
        Assert.True(SpendBudgets.WouldExceed(tenant, UsageMetric.ApiCalls, 100_005, new PeriodUsage(0, 110, 0)));  // five over: 0.5 cent, rounds to 1
    }

    [Theory]
    [InlineData(49L, new int[0])]
    [InlineData(50L, new[] { 50 })]
    [InlineData(80L, new[] { 50, 80 })]
    [InlineData(100L, new[] { 50, 80, 100 })]
    [InlineData(250L, new[] { 50, 80, 100 })]
    public void ThresholdsReached_AreThoseAtOrBelowTheShareUsed(long overage, int[] expected)
    {
        Assert.Equal(expected, SpendBudgets.ThresholdsReached(overage, 100).ToArray());
    }
}
