using TenantPortal.Core.Common;

namespace TenantPortal.Core.Billing.Credits;

/// <summary>
/// How prepaid credits pay an invoice. The grants usable at the invoice's issue time (given by then, not revoked, not
/// expired) pay the overage lines first, then the base lines, then adjustment lines that add to the bill; never more
/// than the invoice's total, so it never goes below zero (a negative adjustment, such as a proration credit, lowers what
/// credits pay). Grants are drawn in priority order (lower first), then soonest expiry (none last), then oldest.
/// </summary>
public static class CreditAllocator
{
    /// <summary>The description of the credit line.</summary>
    public const string LineDescription = "Credits applied";

    /// <summary>The order grants are drawn in.</summary>
    public static IEnumerable<CreditGrant> DrawOrder(IEnumerable<CreditGrant> grants) =>
        grants.OrderBy(g => g.Priority)
            .ThenBy(g => g.ExpiresAt is null ? 1 : 0).ThenBy(g => g.ExpiresAt)
            .ThenBy(g => g.CreatedAt).ThenBy(g => g.Id);

    /// <summary>The balance at <paramref name="at"/>: the remainder of the grants usable then.</summary>
    public static long Balance(IEnumerable<CreditGrant> grants, DateTimeOffset at) => grants.Sum(g => g.AvailableAt(at));

    /// <summary>What credits would pay of <paramref name="invoice"/> (composed, without a credit line) at <paramref name="at"/>; changes nothing.</summary>
    public static CreditAllocation Allocate(Invoice invoice, IEnumerable<CreditGrant> grants, DateTimeOffset at)
    {
        var usable = DrawOrder(grants.Where(g => g.IsUsableAt(at))).ToList();
        var available = usable.Sum(g => g.RemainingCents);
        var cap = Math.Min(available, Math.Max(0, invoice.Lines.Where(l => l.Kind != InvoiceLineKind.CreditsApplied).Sum(l => l.AmountCents)));
        if (cap <= 0)
            return CreditAllocation.None;
        var left = cap;
        long Take(InvoiceLineKind kind)
        {
            var owed = invoice.Lines.Where(l => l.Kind == kind && l.AmountCents > 0).Sum(l => l.AmountCents);
            var paid = Math.Min(owed, left);
            left -= paid;
            return paid;
        }
        var overage = Take(InvoiceLineKind.Overage);
        var baseCents = Take(InvoiceLineKind.Base);
        var adjustment = Take(InvoiceLineKind.Adjustment);
        var total = overage + baseCents + adjustment;

        var draws = new List<CreditDraw>();
        var toDraw = total;
        foreach (var grant in usable)
        {
            if (toDraw == 0)
                break;
            var cents = Math.Min(grant.RemainingCents, toDraw);
            draws.Add(new CreditDraw(grant, cents));
            toDraw -= cents;
        }
        return new CreditAllocation(total, overage, baseCents, adjustment, draws);
    }

    /// <summary>
    /// Applies credits to <paramref name="invoice"/>: consumes the grants (through their own rule), adds the "Credits applied"
    /// line and recomputes the total. Returns the allocation; <see cref="CreditAllocation.None"/> adds no line.
    /// </summary>
    public static CreditAllocation Apply(Invoice invoice, IEnumerable<CreditGrant> grants, DateTimeOffset at)
    {
        if (invoice.Lines.Any(l => l.Kind == InvoiceLineKind.CreditsApplied))
            throw new InvalidOperationException($"Invoice {invoice.Number} has credits applied already.");
        var allocation = Allocate(invoice, grants, at);
        if (allocation.TotalCents == 0)
            return allocation;
        foreach (var draw in allocation.Draws)
        {
            var consumed = draw.Grant.Consume(draw.Cents, at);
            if (!consumed.IsSuccess)
                throw new InvalidOperationException($"Credit grant {draw.Grant.Id}: {consumed.Error.Message}");
        }
        invoice.Lines.Add(new InvoiceLine
        {
            TenantId = invoice.TenantId,
            InvoiceId = invoice.Id,
            Kind = InvoiceLineKind.CreditsApplied,
            Description = LineDescription,
            Quantity = 1,
            UnitPriceCents = -allocation.TotalCents,
            AmountCents = -allocation.TotalCents,
        });
        invoice.RecalculateTotal();
        return allocation;
    }

    /// <summary>The consumption records of an applied allocation, one per grant drawn on.</summary>
    public static IEnumerable<CreditConsumption> Records(Invoice invoice, CreditAllocation allocation, DateTimeOffset at) =>
        allocation.Draws.Select(d => new CreditConsumption
        {
            TenantId = invoice.TenantId,
            GrantId = d.Grant.Id,
            InvoiceId = invoice.Id,
            InvoiceNumber = invoice.Number,
            AmountCents = d.Cents,
            At = at,
        });

    /// <summary>A one-line account of an allocation for the audit log.</summary>
    public static string Describe(Invoice invoice, CreditAllocation allocation) =>
        $"{Money.Format(allocation.TotalCents)} of credits on {invoice.Number} (overage {Money.Format(allocation.OverageCents)}, " +
        $"base {Money.Format(allocation.BaseCents)}, adjustments {Money.Format(allocation.AdjustmentCents)}) from {allocation.Draws.Count} grant(s)";
}
