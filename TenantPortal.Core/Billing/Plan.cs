using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;

namespace TenantPortal.Core.Billing;

/// <summary>A plan of the catalog: its price and its quotas (-1 = unlimited).</summary>
/// <param name="Tier">The tier.</param>
/// <param name="MonthlyPriceCents">Base price per month, in cents.</param>
/// <param name="Limits">Quota per metric; <see cref="PlanCatalog.Unlimited"/> for none.</param>
/// <param name="OverageBilled">True when usage beyond a priced quota is billed rather than denied.</param>
public sealed record Plan(SubscriptionTier Tier, long MonthlyPriceCents, IReadOnlyDictionary<UsageMetric, decimal> Limits, bool OverageBilled)
{
    /// <summary>Annual billing costs 10 x the monthly price.</summary>
    public long AnnualPriceCents => MonthlyPriceCents * 10;

    /// <summary>The base price of one billing cycle.</summary>
    public long PriceCents(BillingCycle cycle) => cycle == BillingCycle.Annual ? AnnualPriceCents : MonthlyPriceCents;

    /// <summary>The plan's quota of a metric.</summary>
    public decimal Limit(UsageMetric metric) => Limits[metric];

    /// <summary>True when the plan has no limit on the metric.</summary>
    public bool IsUnlimited(UsageMetric metric) => Limits[metric] == PlanCatalog.Unlimited;

    /// <summary>
    /// True when exceeding the metric's quota is billed as overage: paid tiers, for metrics that have an
    /// overage price. Metrics without a price (seats, studies) are hard limits on every tier.
    /// </summary>
    public bool AllowsOverage(UsageMetric metric) => OverageBilled && OverageRates.UnitPriceCents(metric) is not null;
}
