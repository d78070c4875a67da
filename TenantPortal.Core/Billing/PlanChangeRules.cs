using System.Globalization;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;

namespace TenantPortal.Core.Billing;

/// <summary>The rules of changing plans: what kind of change a choice is, and what keeps a downgrade from happening.</summary>
public static class PlanChangeRules
{
    /// <summary>Classifies choosing <paramref name="tier"/>/<paramref name="cycle"/>.</summary>
    public static PlanChangeKind Classify(Tenant tenant, SubscriptionTier tier, BillingCycle cycle)
    {
        if (!tenant.HasPaidSubscription)
        {
            if (tier != SubscriptionTier.Free)
                return PlanChangeKind.Subscribe;
            return tenant.Tier == SubscriptionTier.Free && tenant.Status == TenantStatus.Active ? PlanChangeKind.Same : PlanChangeKind.SwitchToFree;
        }
        if (tier != tenant.Tier)
            return tier > tenant.Tier ? PlanChangeKind.Upgrade : PlanChangeKind.Downgrade;
        if (cycle == tenant.BillingCycle)
            return PlanChangeKind.Same;
        return cycle == BillingCycle.Annual ? PlanChangeKind.Upgrade : PlanChangeKind.Downgrade;
    }

    /// <summary>
    /// What keeps the tenant from moving to <paramref name="tier"/>: each metric whose current use exceeds a hard
    /// limit of that plan (a metric without overage billing there), as a sentence naming the metric, the use and the
    /// limit. Empty when nothing does.
    /// </summary>
    public static IReadOnlyList<string> Blockers(SubscriptionTier tier, IReadOnlyDictionary<UsageMetric, decimal> used, IEnumerable<QuotaOverride>? overrides)
    {
        var plan = PlanCatalog.For(tier);
        var overrideList = overrides?.ToList();
        var blockers = new List<string>();
        foreach (var metric in UsageMetrics.All)
        {
            var limit = PlanCatalog.EffectiveLimit(tier, metric, overrideList);
            if (limit == PlanCatalog.Unlimited || plan.AllowsOverage(metric))
                continue;
            var use = used.GetValueOrDefault(metric);
            if (use <= limit)
                continue;
            blockers.Add(string.Create(CultureInfo.InvariantCulture,
                $"{UsageMetrics.DisplayName(metric)}: {use:#,##0.##} {UsageMetrics.Unit(metric)} in use, {tier} allows {limit:#,##0.##}"));
        }
        return blockers;
    }
}
