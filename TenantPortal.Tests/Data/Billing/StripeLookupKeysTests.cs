using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Billing.Stripe;

namespace TenantPortal.Tests.Data.Billing;

/// <summary>The names of the portal's catalog in Stripe.</summary>
public sealed class StripeLookupKeysTests
{
    [Theory]
    [InlineData(SubscriptionTier.Starter, BillingCycle.Monthly, "tenantportal_starter_monthly")]
    [InlineData(SubscriptionTier.Professional, BillingCycle.Annual, "tenantportal_professional_annual")]
    [InlineData(SubscriptionTier.Enterprise, BillingCycle.Monthly, "tenantportal_enterprise_monthly")]
    public void Price_IsLowerCaseTierAndCycle_ForEveryPaidPlan(SubscriptionTier tier, BillingCycle cycle, string expected)
    {
        Assert.Equal(expected, StripeLookupKeys.Price(tier, cycle));
        Assert.True(StripeLookupKeys.TryParsePrice(expected, out var parsedTier, out var parsedCycle));
        Assert.Equal((tier, cycle), (parsedTier, parsedCycle));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("tenantportal_starter")]
    [InlineData("tenantportal_gold_monthly")]
    [InlineData("other_starter_monthly")]
    public void TryParsePrice_IsFalse_WhenTheKeyIsNotOurs(string? lookupKey)
    {
        Assert.False(StripeLookupKeys.TryParsePrice(lookupKey, out _, out _));
    }

    [Fact]
    public void Product_IsTenantportalAndTier_ForATier()
    {
        Assert.Equal("tenantportal_professional", StripeLookupKeys.Product(SubscriptionTier.Professional));
    }
}
