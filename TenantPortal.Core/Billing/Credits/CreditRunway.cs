namespace TenantPortal.Core.Billing.Credits;

/// <summary>
/// When the credit balance runs out at the running period's rate. The period's charges accrue day by day: the base lines
/// spread evenly over the period's days, the overage so far over the days elapsed (today counted whole, as the Usage
/// tab's projection does). Credits are drawn when an invoice is issued, so the date is when the accrued charges, from the
/// period's start, pass the balance. Pure arithmetic over whole UTC days.
/// </summary>
public static class CreditRunway
{
    /// <summary>How far ahead a date is still given; beyond, "not at this rate".</summary>
    public const int HorizonDays = 5 * 366;

    /// <summary>The charges of the running period per day, in cents (fractional).</summary>
    /// <param name="baseCents">What the period's non-usage lines come to (base and adjustments).</param>
    /// <param name="usageCents">What its overage lines come to so far.</param>
    /// <param name="periodStart">First instant of the period.</param>
    /// <param name="periodEnd">First instant after it.</param>
    /// <param name="now">Now, within the period.</param>
    public static decimal DailyBurnCents(long baseCents, long usageCents, DateTimeOffset periodStart, DateTimeOffset periodEnd, DateTimeOffset now)
    {
        var periodDays = Math.Max(1, (int)Math.Round((periodEnd - periodStart).TotalDays));
        var elapsed = Math.Clamp((int)Math.Floor((now - periodStart).TotalDays) + 1, 1, periodDays);
        return Math.Max(0, baseCents) / (decimal)periodDays + Math.Max(0, usageCents) / (decimal)elapsed;
    }

    /// <summary>
    /// The first day on which the charges accrued since <paramref name="periodStart"/> reach <paramref name="balanceCents"/>,
    /// or null when nothing accrues or it lies beyond <see cref="HorizonDays"/>. Today when the period so far uses it all.
    /// </summary>
    public static DateTimeOffset? RunOutAt(long balanceCents, long usedSoFarCents, decimal dailyBurnCents, DateTimeOffset periodStart, DateTimeOffset now)
    {
        if (balanceCents <= 0)
            return null;
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        if (usedSoFarCents >= balanceCents)
            return today;
        if (dailyBurnCents <= 0)
            return null;
        var start = new DateTimeOffset(periodStart.UtcDateTime.Date, TimeSpan.Zero);
        var days = (int)Math.Ceiling(balanceCents / dailyBurnCents);
        var at = start.AddDays(days - 1);
        if (at < today)
            return today;
        return (at - today).TotalDays > HorizonDays ? null : at;
    }
}
