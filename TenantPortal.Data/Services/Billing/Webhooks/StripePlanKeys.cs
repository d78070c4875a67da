using System.Diagnostics.CodeAnalysis;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Billing.Webhooks;

/// <summary>The lookup keys of the portal's Stripe prices: <c>tenantportal_{tier}_{monthly|annual}</c>.</summary>
public static class StripePlanKeys
{
    private const string Prefix = "tenantportal_";

    /// <summary>The lookup key of a plan's price, e.g. <c>tenantportal_starter_monthly</c>.</summary>
    public static string LookupKey(SubscriptionTier tier, BillingCycle cycle) =>
        $"{Prefix}{TierName(tier)}_{CycleName(cycle)}";

    /// <summary>Reads a lookup key; false for anything that is not one of the portal's paid plans.</summary>
    public static bool TryParseLookupKey([NotNullWhen(true)] string? lookupKey, out SubscriptionTier tier, out BillingCycle cycle)
    {
        tier = default;
        cycle = default;
        if (lookupKey is null || !lookupKey.StartsWith(Prefix, StringComparison.Ordinal))
            return false;
        var parts = lookupKey[Prefix.Length..].Split('_');
        return parts.Length == 2 && TryParse(parts[0], parts[1], out tier, out cycle);
    }

    /// <summary>Reads a tier and a cycle given by name (metadata), case-insensitively; false unless both are valid and the tier is paid.</summary>
    public static bool TryParse(string? tierName, string? cycleName, out SubscriptionTier tier, out BillingCycle cycle)
    {
        cycle = default;
        var ok = Enum.TryParse(tierName, ignoreCase: true, out tier) && Enum.IsDefined(tier) && tier != SubscriptionTier.Free
                 && !int.TryParse(tierName, out _);
        return ok && cycleName?.ToLowerInvariant() switch
        {
            "monthly" => Set(BillingCycle.Monthly, out cycle),
            "annual" => Set(BillingCycle.Annual, out cycle),
            _ => false,
        };
    }

    private static bool Set(BillingCycle value, out BillingCycle cycle)
    {
        cycle = value;
        return true;
    }

    private static string TierName(SubscriptionTier tier) => tier.ToString().ToLowerInvariant();

    private static string CycleName(BillingCycle cycle) => cycle == BillingCycle.Annual ? "annual" : "monthly";
}
