using System.Globalization;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Core.Billing;

/// <summary>
/// The base-price lines of a monthly period, from the tenant's plan history. Monthly plans are charged for the share
/// of the period spent on them (a mid-period change is prorated by the second). An annual plan is charged in full
/// (10 x the monthly price) on the period in which each of its yearly terms starts; when it ends before its term does
/// (an upgrade or an immediate cancellation), the unused share is credited on the period in which it ended.
/// Each line is rounded once, half away from zero.
/// </summary>
public static class BaseCharges
{
    /// <summary>The base lines of the month starting at <paramref name="periodStart"/>.</summary>
    public static IReadOnlyList<BaseCharge> For(IEnumerable<PlanSegment> segments, DateTimeOffset periodStart)
    {
        var periodEnd = periodStart.AddMonths(1);
        var lines = new List<BaseCharge>();
        foreach (var s in segments.Where(s => s.Charged).OrderBy(s => s.StartsAt))
        {
            var end = s.EndsAt ?? DateTimeOffset.MaxValue;
            if (s.Cycle == BillingCycle.Monthly)
                AddMonthly(lines, s, end, periodStart, periodEnd);
            else
                AddAnnual(lines, s, end, periodStart, periodEnd);
        }
        return lines;
    }

    /// <summary>The plan in force at an instant (charged or not), or null when the history does not cover it.</summary>
    public static PlanSegment? At(IEnumerable<PlanSegment> segments, DateTimeOffset instant) =>
        segments.Where(s => s.StartsAt <= instant && (s.EndsAt is null || instant < s.EndsAt)).MaxBy(s => s.StartsAt);

    private static void AddMonthly(List<BaseCharge> lines, PlanSegment s, DateTimeOffset end, DateTimeOffset periodStart, DateTimeOffset periodEnd)
    {
        var from = Max(s.StartsAt, periodStart);
        var to = Min(end, periodEnd);
        if (to <= from)
            return;
        var plan = PlanCatalog.For(s.Tier);
        var fraction = Fraction(to - from, periodEnd - periodStart);
        var whole = from == periodStart && to == periodEnd;
        var text = whole
            ? $"{s.Tier} plan, {Month(periodStart)}"
            : $"{s.Tier} plan, {Day(from)} – {Day(to.AddTicks(-1))} (prorated)";
        lines.Add(new BaseCharge(InvoiceLineKind.Base, s.Tier, s.Cycle, from, to, fraction,
            Money.RoundToCents(plan.MonthlyPriceCents * fraction), text));
    }

    private static void AddAnnual(List<BaseCharge> lines, PlanSegment s, DateTimeOffset end, DateTimeOffset periodStart, DateTimeOffset periodEnd)
    {
        var plan = PlanCatalog.For(s.Tier);
        // Each yearly term that starts in the period is charged in full.
        for (var k = 0; ; k++)
        {
            var termStart = s.StartsAt.AddMonths(12 * k);
            if (termStart >= periodEnd || termStart >= end)
                break;
            if (termStart < periodStart)
                continue;
            var termEnd = termStart.AddMonths(12);
            lines.Add(new BaseCharge(InvoiceLineKind.Base, s.Tier, s.Cycle, termStart, termEnd, 1m, plan.AnnualPriceCents,
                $"{s.Tier} plan, annual, {Day(termStart)} – {Day(termEnd.AddTicks(-1))}"));
        }
        // An annual plan that ended in the period, inside a term, gets the unused share of that term back.
        if (s.EndsAt is not { } ended || ended < periodStart || ended >= periodEnd)
            return;
        var elapsed = 0;
        while (s.StartsAt.AddMonths(12 * (elapsed + 1)) <= ended)
            elapsed++;
        var currentTermStart = s.StartsAt.AddMonths(12 * elapsed);
        var currentTermEnd = currentTermStart.AddMonths(12);
        if (ended == currentTermStart)
            return;
        var unused = Fraction(currentTermEnd - ended, currentTermEnd - currentTermStart);
        lines.Add(new BaseCharge(InvoiceLineKind.Adjustment, s.Tier, s.Cycle, ended, currentTermEnd, unused,
            -Money.RoundToCents(plan.AnnualPriceCents * unused),
            $"Unused time on the annual {s.Tier} plan, {Day(ended)} – {Day(currentTermEnd.AddTicks(-1))}"));
    }

    private static decimal Fraction(TimeSpan part, TimeSpan whole) => (decimal)part.Ticks / whole.Ticks;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static string Month(DateTimeOffset at) => at.UtcDateTime.ToString("MMMM yyyy", CultureInfo.InvariantCulture);

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
}
