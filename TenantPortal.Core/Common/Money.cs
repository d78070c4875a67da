namespace TenantPortal.Core.Common;

/// <summary>Money helpers. Amounts are integer cents (<see cref="long"/>); unit prices may be fractions of a cent (<see cref="decimal"/>).</summary>
public static class Money
{
    /// <summary>Rounds an amount in (fractional) cents once, half away from zero, to whole cents.</summary>
    public static long RoundToCents(decimal cents) => (long)Math.Round(cents, 0, MidpointRounding.AwayFromZero);

    /// <summary>Formats cents as US dollars, e.g. 27630 as "$276.30".</summary>
    public static string Format(long cents) =>
        (cents < 0 ? "-$" : "$") + (Math.Abs(cents) / 100m).ToString("#,##0.00", System.Globalization.CultureInfo.InvariantCulture);
}
