namespace TenantPortal.Core.Billing;

/// <summary>
/// When a closed period gets an invoice. A period in which the tenant had a paid plan charged (monthly time on it, or any
/// of its annual term) always gets one, even at $0.00: the subscriber's statement of the month, and where its overage
/// would be. A period without one (Free, a trial, after a cancellation) gets one only when something is billed: a line
/// with an amount, such as usage of an earlier paid period that arrived late. Otherwise nothing is issued and nothing
/// listed: no $0.00 invoice every month for a Free tenant.
/// </summary>
public static class InvoiceIssuance
{
    /// <summary>
    /// How far back usage can arrive after its period was invoiced (events are accepted up to 35 days old, plus a day of
    /// margin): a period this close after an invoiced one may owe an adjustment for it.
    /// </summary>
    public static readonly TimeSpan LateUsageWindow = TimeSpan.FromDays(36);

    /// <summary>True when a charged segment of a plan with a price overlaps the month starting at <paramref name="periodStart"/>.</summary>
    public static bool HasPaidPlan(IEnumerable<PlanSegment> segments, DateTimeOffset periodStart)
    {
        var periodEnd = periodStart.AddMonths(1);
        return segments.Any(s => s.Charged && PlanCatalog.For(s.Tier).MonthlyPriceCents > 0
            && s.StartsAt < periodEnd && (s.EndsAt is null || s.EndsAt > periodStart));
    }

    /// <summary>
    /// True when the period may owe something although no paid plan covered it: an invoiced period ends within the
    /// late-usage window before it, so late usage of that period may be billed on this one.
    /// </summary>
    public static bool MayOweLateUsage(IEnumerable<DateTimeOffset> invoicedPeriods, DateTimeOffset periodStart) =>
        invoicedPeriods.Any(p => p < periodStart && p.AddMonths(1) > periodStart - LateUsageWindow);

    /// <summary>Whether the composed invoice of a period is issued: a paid plan covered the period, or a line bills an amount.</summary>
    public static bool ShouldIssue(bool paidPlan, Invoice composed) =>
        paidPlan || composed.Lines.Any(l => l.AmountCents != 0);
}
