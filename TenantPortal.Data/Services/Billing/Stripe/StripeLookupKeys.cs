using System.Diagnostics.CodeAnalysis;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Billing.Stripe;

/// <summary>
/// The names the portal gives its catalog in Stripe: a product per tier (<c>tenantportal_{tier}</c>) and a price per
/// tier and cycle found by lookup key (<c>tenantportal_{tier}_{monthly|annual}</c>), so the same catalog is found again
/// in any Stripe account without storing Stripe ids.
/// </summary>
public static class StripeLookupKeys
{
    private const string Prefix = "tenantportal_";

    /// <summary>The tier as it appears in keys and metadata: <c>free</c>, <c>starter</c>, <c>professional</c>, <c>enterprise</c>.</summary>
    public static string TierName(SubscriptionTier tier) => tier switch
    {
        SubscriptionTier.Free => "free",
        SubscriptionTier.Starter => "starter",
        SubscriptionTier.Professional => "professional",
        SubscriptionTier.Enterprise => "enterprise",
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, null),
    };

    /// <summary>The cycle as it appears in keys and metadata: <c>monthly</c> or <c>annual</c>.</summary>
    public static string CycleName(BillingCycle cycle) => cycle switch
    {
        BillingCycle.Monthly => "monthly",
        BillingCycle.Annual => "annual",
        _ => throw new ArgumentOutOfRangeException(nameof(cycle), cycle, null),
    };

    /// <summary>The price's lookup key, e.g. <c>tenantportal_starter_monthly</c>.</summary>
    public static string Price(SubscriptionTier tier, BillingCycle cycle) => $"{Prefix}{TierName(tier)}_{CycleName(cycle)}";

    /// <summary>The product's id, e.g. <c>tenantportal_starter</c> (Stripe accepts ids chosen by the caller for products).</summary>
    public static string Product(SubscriptionTier tier) => Prefix + TierName(tier);

    /// <summary>Reads a price lookup key back (e.g. from a subscription changed in Stripe's dashboard); false for any other key.</summary>
    public static bool TryParsePrice([NotNullWhen(true)] string? lookupKey, out SubscriptionTier tier, out BillingCycle cycle)
    {
        tier = default;
        cycle = default;
        if (lookupKey is null || !lookupKey.StartsWith(Prefix, StringComparison.Ordinal))
            return false;
        foreach (var t in Enum.GetValues<SubscriptionTier>())
            foreach (var c in Enum.GetValues<BillingCycle>())
                if (string.Equals(Price(t, c), lookupKey, StringComparison.Ordinal))
                {
                    (tier, cycle) = (t, c);
                    return true;
                }
        return false;
    }

    /// <summary>Reads a plan from metadata values such as <c>tier=professional</c>, <c>cycle=monthly</c> (any case).</summary>
    public static bool TryParseMetadata(string? tierName, string? cycleName, out SubscriptionTier tier, out BillingCycle cycle) =>
        TryParsePrice($"{Prefix}{tierName?.ToLowerInvariant()}_{cycleName?.ToLowerInvariant()}", out tier, out cycle);
}
