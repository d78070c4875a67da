using TenantPortal.Core.Billing;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services;

namespace TenantPortal.Web.Components.Shared;

/// <summary>How a metric's usage against its quota reads, on screen and to a screen reader.</summary>
public static class UsageText
{
    /// <summary>An amount: whole numbers with thousands separators, else one decimal (<c>10,000</c>, <c>12.5</c>).</summary>
    public static string Amount(decimal value) =>
        value == Math.Truncate(value) ? value.ToString("N0") : value.ToString("N1");

    /// <summary>
    /// The accessible name of the usage's progress bar, e.g. <c>API calls: 92 % of 10,000 calls</c> (a bar has no
    /// name of its own, and its value alone does not say what it measures).
    /// </summary>
    public static string ProgressLabel(CurrentUsage usage)
    {
        var name = UsageMetrics.DisplayName(usage.Metric);
        var unit = UsageMetrics.Unit(usage.Metric);
        return usage.Limit == PlanCatalog.Unlimited || usage.Percentage is not { } percent
            ? $"{name}: {Amount(usage.Used)} {unit} used, unlimited"
            : $"{name}: {percent:0.#} % of {Amount(usage.Limit)} {unit}";
    }
}
