using System.Globalization;
using TenantPortal.Core.Common;

namespace TenantPortal.Core.Billing;

/// <summary>
/// A credit against an issued invoice: the usage of its period came down after it was invoiced (a usage correction), so
/// part of what was billed is credited back. (TenantId, Number) is unique, and the number is the next in the period's
/// sequence, so two settlements racing for the same shortfall store one credit note. Amounts are positive.
/// </summary>
public class CreditNote : ITenantOwned
{
    /// <summary>Longest reason kept.</summary>
    public const int ReasonMaxLength = 500;

    /// <summary>Longest correction id kept.</summary>
    public const int CorrectionIdMaxLength = 128;

    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>Human number, unique per tenant, e.g. <c>ACME-202610-CN1</c>: the credited invoice's number and the note's sequence in that period.</summary>
    public string Number { get; set; } = "";

    /// <summary>The note's place in its period's sequence, from 1.</summary>
    public int Sequence { get; set; }

    /// <summary>The invoice credited (the usage period's own invoice).</summary>
    public Guid InvoiceId { get; set; }

    /// <summary>The credited invoice's number.</summary>
    public string InvoiceNumber { get; set; } = "";

    /// <summary>First instant of the usage period credited.</summary>
    public DateTimeOffset UsagePeriodStart { get; set; }

    /// <summary>Why: the reason of the correction that caused it, or the settlement pass's.</summary>
    public string Reason { get; set; } = "";

    /// <summary>The usage correction that caused it, when one did (null when the daily settlement found the shortfall).</summary>
    public string? CorrectionId { get; set; }

    /// <summary>State.</summary>
    public CreditNoteStatus Status { get; set; }

    /// <summary>How the credit reached the customer, once issued.</summary>
    public CreditNoteSettlement Settlement { get; set; }

    /// <summary>ISO currency code, lower-case.</summary>
    public string Currency { get; set; } = "usd";

    /// <summary>Sum of the lines, in cents (positive).</summary>
    public long TotalCents { get; set; }

    /// <summary>When it was stored.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the provider carried it out.</summary>
    public DateTimeOffset? IssuedAt { get; set; }

    /// <summary>The Stripe credit note, when the credited invoice is in Stripe.</summary>
    public string? StripeCreditNoteId { get; set; }

    /// <summary>The lines, one per metric credited.</summary>
    public List<CreditNoteLine> Lines { get; set; } = [];

    /// <summary>The number of a period's <paramref name="sequence"/>th credit note against <paramref name="invoiceNumber"/>.</summary>
    public static string NumberFor(string invoiceNumber, int sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{invoiceNumber}-CN{sequence}");

    /// <summary>
    /// A pending credit note of <paramref name="lines"/> (each positive) against <paramref name="invoice"/>, the
    /// <paramref name="sequence"/>th of its period.
    /// </summary>
    public static CreditNote Create(Invoice invoice, int sequence, IReadOnlyList<CreditNoteLine> lines, string reason, string? correctionId,
        DateTimeOffset now)
    {
        if (lines.Count == 0 || lines.Any(l => l.AmountCents <= 0))
            throw new ArgumentException("A credit note credits a positive amount on every line.", nameof(lines));
        var note = new CreditNote
        {
            TenantId = invoice.TenantId,
            Number = NumberFor(invoice.Number, sequence),
            Sequence = sequence,
            InvoiceId = invoice.Id,
            InvoiceNumber = invoice.Number,
            UsagePeriodStart = invoice.PeriodStart,
            Reason = reason.Length > ReasonMaxLength ? reason[..ReasonMaxLength] : reason,
            CorrectionId = correctionId,
            Status = CreditNoteStatus.Pending,
            Currency = invoice.Currency,
            CreatedAt = now,
        };
        for (var i = 0; i < lines.Count; i++)
        {
            lines[i].TenantId = invoice.TenantId;
            lines[i].CreditNoteId = note.Id;
            lines[i].Position = i;
            note.Lines.Add(lines[i]);
        }
        note.TotalCents = note.Lines.Sum(l => l.AmountCents);
        return note;
    }

    /// <summary>Records that the provider carried it out.</summary>
    public void MarkIssued(CreditNoteSettlement settlement, string? stripeCreditNoteId, DateTimeOffset now)
    {
        if (Status == CreditNoteStatus.Issued)
            return;
        Status = CreditNoteStatus.Issued;
        Settlement = settlement;
        StripeCreditNoteId = stripeCreditNoteId ?? StripeCreditNoteId;
        IssuedAt = now;
    }
}
