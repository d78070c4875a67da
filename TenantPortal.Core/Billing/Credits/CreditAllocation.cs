namespace TenantPortal.Core.Billing.Credits;

/// <summary>What credits pay of one invoice: in total, per kind of line, and per grant drawn on.</summary>
/// <param name="TotalCents">Cents paid by credits (the "Credits applied" line is its negative).</param>
/// <param name="OverageCents">Of which on overage lines (paid first).</param>
/// <param name="BaseCents">Of which on base lines (paid next).</param>
/// <param name="AdjustmentCents">Of which on adjustment lines that add to the bill (late usage, paid last).</param>
/// <param name="Draws">The grants drawn on, in order, with the cents taken from each.</param>
public sealed record CreditAllocation(long TotalCents, long OverageCents, long BaseCents, long AdjustmentCents, IReadOnlyList<CreditDraw> Draws)
{
    /// <summary>Nothing paid by credits.</summary>
    public static CreditAllocation None { get; } = new(0, 0, 0, 0, []);
}

/// <summary>Cents taken from one grant.</summary>
/// <param name="Grant">The grant.</param>
/// <param name="Cents">What it pays.</param>
public sealed record CreditDraw(CreditGrant Grant, long Cents);
