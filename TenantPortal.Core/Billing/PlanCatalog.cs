using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;

namespace TenantPortal.Core.Billing;

/// <summary>The plans of PRODUCT.md section 2, with their exact numbers.</summary>
public static class PlanCatalog
{
    /// <summary>The stored value of an unlimited quota.</summary>
    public const decimal Unlimited = -1;

    /// <summary>Free: $0, hard limits.</summary>
    public static readonly Plan Free = new(SubscriptionTier.Free, 0, Limits(10_000, 10, 5, 5, 1_000), OverageBilled: false);

    /// <summary>Starter: $49 a month.</summary>
    public static readonly Plan Starter = new(SubscriptionTier.Starter, 49_00, Limits(100_000, 100, 50, 10, 10_000), OverageBilled: true);

    /// <summary>Professional: $199 a month.</summary>
    public static readonly Plan Professional = new(SubscriptionTier.Professional, 199_00, Limits(1_000_000, 1_000, 200, 50, 100_000), OverageBilled: true);

    /// <summary>Enterprise: $999 a month, everything unlimited.</summary>
    public static readonly Plan Enterprise = new(SubscriptionTier.Enterprise, 999_00, Limits(Unlimited, Unlimited, Unlimited, Unlimited, Unlimited), OverageBilled: true);

    /// <summary>Every plan, cheapest first.</summary>
    public static readonly IReadOnlyList<Plan> All = [Free, Starter, Professional, Enterprise];

    /// <summary>The plan of a tier.</summary>
    public static Plan For(SubscriptionTier tier) => tier switch
    {
        SubscriptionTier.Free => Free,
        SubscriptionTier.Starter => Starter,
        SubscriptionTier.Professional => Professional,
        SubscriptionTier.Enterprise => Enterprise,
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, null),
    };

    /// <summary>
    /// The quota that applies to a tenant: an operator override when there is one, else the plan's.
    /// </summary>
    public static decimal EffectiveLimit(SubscriptionTier tier, UsageMetric metric, IEnumerable<QuotaOverride>? overrides)
    {
        var match = overrides?.FirstOrDefault(o => o.Metric == metric);
        return match?.Limit ?? For(tier).Limit(metric);
    }

    private static Dictionary<UsageMetric, decimal> Limits(decimal apiCalls, decimal storageGb, decimal gpuHours, decimal users, decimal studies) => new()
    {
        [UsageMetric.ApiCalls] = apiCalls,
        [UsageMetric.StorageGb] = storageGb,
        [UsageMetric.GpuHours] = gpuHours,
        [UsageMetric.Users] = users,
        [UsageMetric.Studies] = studies,
    };
}
