using System.Globalization;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;

namespace TenantPortal.Web.Components.Tenant.Billing;

/// <summary>How the billing screens write dates, prices, quantities and quotas (one place, so that they agree).</summary>
public static class BillingFormat
{
    /// <summary>A day, e.g. "14 June 2026" (UTC).</summary>
    public static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>A short day, e.g. "14 Jun 2026" (UTC).</summary>
    public static string ShortDay(DateTimeOffset at) => at.UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>The billed month of a period, e.g. "May 2026".</summary>
    public static string Month(DateTimeOffset periodStart) => periodStart.UtcDateTime.ToString("MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>A period [start, end) as days, e.g. "1 – 31 May 2026".</summary>
    public static string Period(DateTimeOffset start, DateTimeOffset end)
    {
        var last = end.UtcDateTime.AddDays(-1);
        var first = start.UtcDateTime;
        return first.Year == last.Year && first.Month == last.Month
            ? string.Create(CultureInfo.InvariantCulture, $"{first:%d} – {last:d MMMM yyyy}")
            : string.Create(CultureInfo.InvariantCulture, $"{first:d MMMM} – {last:d MMMM yyyy}");
    }

    /// <summary>"month" or "year".</summary>
    public static string Per(BillingCycle cycle) => cycle == BillingCycle.Annual ? "year" : "month";

    /// <summary>"monthly" or "annual".</summary>
    public static string CycleName(BillingCycle cycle) => cycle == BillingCycle.Annual ? "annual" : "monthly";

    /// <summary>
    /// A unit price in (fractional) cents as dollars: two decimals, and up to five when the price is a fraction of a cent,
    /// e.g. 0.1 cent as "$0.001".
    /// </summary>
    public static string UnitPrice(decimal cents) =>
        (cents < 0 ? "-$" : "$") + (Math.Abs(cents) / 100m).ToString("#,##0.00###", CultureInfo.InvariantCulture);

    /// <summary>A quantity: whole numbers with separators, fractions with up to four decimals.</summary>
    public static string Quantity(decimal value) =>
        value.ToString(value == Math.Truncate(value) ? "#,##0" : "#,##0.####", CultureInfo.InvariantCulture);

    /// <summary>A plan's quota of a metric, e.g. "1,000,000" or "Unlimited".</summary>
    public static string Limit(Plan plan, UsageMetric metric) =>
        plan.IsUnlimited(metric) ? "Unlimited" : Quantity(plan.Limit(metric));

    /// <summary>The unit of a quota as read after its number, e.g. "calls / month".</summary>
    public static string LimitUnit(UsageMetric metric) => metric switch
    {
        UsageMetric.ApiCalls => "calls / month",
        UsageMetric.StorageGb => "GB",
        UsageMetric.GpuHours => "hours / month",
        UsageMetric.Users => "seats",
        _ => "studies",
    };

    /// <summary>The overage price of a metric, e.g. "$0.001 per call", or null when it has none.</summary>
    public static string? OveragePrice(UsageMetric metric) => OverageRates.UnitPriceCents(metric) is { } cents
        ? $"{UnitPrice(cents)} per {metric switch { UsageMetric.ApiCalls => "call", UsageMetric.StorageGb => "GB-month", _ => "GPU hour" }}"
        : null;
}
