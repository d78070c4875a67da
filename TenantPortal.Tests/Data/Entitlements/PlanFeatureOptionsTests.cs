using Microsoft.Extensions.Configuration;
using TenantPortal.Core.Entitlements;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Options;

namespace TenantPortal.Tests.Data.Entitlements;

/// <summary><c>Plans:{Tier}:Features:{name}</c>: the shipped values, a configured value in their place, and bad values stopping the start.</summary>
public class PlanFeatureOptionsTests
{
    private static PlanEntitlements Read(params (string Key, string? Value)[] settings) =>
        PlanFeatureOptions.Read(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    private static EntitlementFeature Feature(string name) => EntitlementFeatures.TryFind(name, out var f) ? f : throw new ArgumentException(name);

    [Theory]
    [InlineData(SubscriptionTier.Free, false, false, 2)]
    [InlineData(SubscriptionTier.Starter, false, true, 5)]
    [InlineData(SubscriptionTier.Professional, true, true, 25)]
    [InlineData(SubscriptionTier.Enterprise, true, true, -1)]
    public void Read_GivesTheShippedValues_WhenNothingIsConfigured(SubscriptionTier tier, bool business, bool credits, long apiKeys)
    {
        var plans = Read();

        foreach (var name in new[] { "sso", "scim", "webhooks", "audit_export" })
            Assert.Equal(EntitlementValue.Flag(business), plans.Of(tier, Feature(name)));
        Assert.Equal(EntitlementValue.Flag(credits), plans.Of(tier, Feature("credits")));
        Assert.Equal(EntitlementValue.Number(apiKeys), plans.Of(tier, Feature("max_api_keys")));
    }

    [Fact]
    public void Read_TakesAConfiguredValue_InPlaceOfTheShippedOne_AndKeepsTheRest()
    {
        var plans = Read(("Plans:Starter:Features:sso", "true"), ("Plans:free:Features:max_api_keys", "0"), ("Plans:Enterprise:Features:max_api_keys", "500"),
            ("Plans:Starter:RequestsPerSecond", "50"));

        Assert.True(plans.Of(SubscriptionTier.Starter, Feature("sso")).Enabled);
        Assert.False(plans.Of(SubscriptionTier.Starter, Feature("scim")).Enabled);
        Assert.Equal(EntitlementValue.Number(0), plans.Of(SubscriptionTier.Free, Feature("max_api_keys")));
        Assert.False(plans.Of(SubscriptionTier.Free, Feature("max_api_keys")).Enabled);
        Assert.Equal(500, plans.Of(SubscriptionTier.Enterprise, Feature("max_api_keys")).Limit);
        Assert.Equal(25, plans.Of(SubscriptionTier.Professional, Feature("max_api_keys")).Limit);
    }

    [Theory]
    [InlineData("Plans:Starter:Features:sso", "yes", "'yes' is not true or false")]
    [InlineData("Plans:Starter:Features:sso", "1", "'1' is not true or false")]
    [InlineData("Plans:Starter:Features:max_api_keys", "true", "'true' is not a whole number")]
    [InlineData("Plans:Starter:Features:max_api_keys", "2.5", "'2.5' is not a whole number")]
    [InlineData("Plans:Starter:Features:max_api_keys", "-2", "'-2' is not a whole number")]
    [InlineData("Plans:Starter:Features:max_api_keys", "", "give a whole number")]
    [InlineData("Plans:Starter:Features:saml", "true", "'saml' is not a feature; the features are sso, scim")]
    [InlineData("Plans:Gold:Features:sso", "true", "'Gold' is not a plan")]
    [InlineData("Plans:2:Features:sso", "true", "'2' is not a plan")]
    public void Read_StopsTheStart_NamingTheKey_ForABadValue(string key, string value, string expected)
    {
        var ex = Assert.Throws<InvalidSettingException>(() => Read((key, value)));

        Assert.Equal(key.StartsWith("Plans:Gold", StringComparison.Ordinal) || key.StartsWith("Plans:2", StringComparison.Ordinal)
            ? key[..key.LastIndexOf(':')] : key, ex.Key);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Read_RefusesAFeatureGivenAsASection()
    {
        var ex = Assert.Throws<InvalidSettingException>(() => Read(("Plans:Starter:Features:sso:enabled", "true")));

        Assert.Equal("Plans:Starter:Features:sso", ex.Key);
    }
}
