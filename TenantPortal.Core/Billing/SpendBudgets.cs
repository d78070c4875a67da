using TenantPortal.Core.Tenants;

namespace TenantPortal.Core.Billing;

/// <summary>
/// Spend budget arithmetic: the period's overage cost as the invoice would bill it (each line rounded once, half away from
/// zero), the share of the budget it uses, the alert thresholds reached, and whether a quota check's amount would take
/// the cost past a blocking budget.
/// </summary>
public static class SpendBudgets
{
    /// <summary>The largest budget: $1,000,000 a month.</summary>
    public const long MaxCents = 100_000_000;

    /// <summary>The budget alert thresholds, in percent of the budget.</summary>
    public static readonly IReadOnlyList<int> AlertThresholds = [50, 80, 100];

    /// <summary>The overage cost of a period's usage so far, in cents: the sum of the invoice's overage lines.</summary>
    public static long OverageCents(Plan plan, PeriodUsage usage, IEnumerable<QuotaOverride>? overrides)
    {
        long total = 0;
        foreach (var line in OverageCalculator.Lines(plan, usage, overrides))
            total += line.AmountCents;
        return total;
    }

    /// <summary>The share of the budget used, in percent (two decimals, not capped).</summary>
    public static decimal Percent(long overageCents, long budgetCents) =>
        budgetCents <= 0 ? 0 : Math.Round(overageCents * 100m / budgetCents, 2, MidpointRounding.AwayFromZero);

    /// <summary>The alert thresholds the overage cost has reached (50, 80, 100), lowest first.</summary>
    public static IEnumerable<int> ThresholdsReached(long overageCents, long budgetCents) =>
        AlertThresholds.Where(t => budgetCents > 0 && overageCents * 100 >= (long)t * budgetCents);

    /// <summary>
    /// The usage a quota check's amount would make: a counter's amount (API calls, GPU hours) adds to the period's
    /// quantity; a storage amount is a level, billed by how long it is held, so at the moment of the check it adds nothing
    /// to the GB-months so far.
    /// </summary>
    public static PeriodUsage WithAmount(PeriodUsage usage, Usage.UsageMetric metric, decimal amount) => metric switch
    {
        Usage.UsageMetric.ApiCalls => usage with { ApiCalls = usage.ApiCalls + amount },
        Usage.UsageMetric.GpuHours => usage with { GpuHours = usage.GpuHours + amount },
        _ => usage,
    };

    /// <summary>
    /// True when the overage cost with the amount (<see cref="WithAmount"/>) would be past the budget: exactly at the
    /// budget is allowed, one cent over is not.
    /// </summary>
    public static bool WouldExceed(Tenant tenant, Usage.UsageMetric metric, decimal amount, PeriodUsage usage) =>
        tenant.SpendBudgetCents is { } budget
        && OverageCents(PlanCatalog.For(tenant.Tier), WithAmount(usage, metric, amount), tenant.QuotaOverrides) > budget;
}
