using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Core.Billing;

/// <summary>Computes what a period costs: base price plus overage lines, each rounded once, half away from zero.</summary>
public static class OverageCalculator
{
    /// <summary>The overage lines of a period (only metrics over their quota). Tiers without overage billing have none.</summary>
    public static IReadOnlyList<OverageLine> Lines(Plan plan, PeriodUsage usage, IEnumerable<QuotaOverride>? overrides = null)
    {
        var lines = new List<OverageLine>();
        if (!plan.OverageBilled)
            return lines;
        var overrideList = overrides?.ToList();
        foreach (var metric in Usage.UsageMetrics.All)
        {
            if (OverageRates.UnitPriceCents(metric) is not { } unitPrice)
                continue;
            var included = PlanCatalog.EffectiveLimit(plan.Tier, metric, overrideList);
            if (included == PlanCatalog.Unlimited)
                continue;
            var used = usage.Quantity(metric);
            var over = used - included;
            if (over <= 0)
                continue;
            lines.Add(new OverageLine(metric, included, used, over, unitPrice, Money.RoundToCents(over * unitPrice)));
        }
        return lines;
    }

    /// <summary>The total of a monthly period: base price of the plan plus its overage, in cents.</summary>
    public static long MonthlyTotalCents(Plan plan, PeriodUsage usage, IEnumerable<QuotaOverride>? overrides = null) =>
        plan.MonthlyPriceCents + Lines(plan, usage, overrides).Sum(l => l.AmountCents);
}
