using TenantPortal.Core.Billing;

namespace TenantPortal.Data.Services.Billing;

/// <summary>A credit note as listed.</summary>
/// <param name="Number">Its number, e.g. <c>ACME-202610-CN1</c>.</param>
/// <param name="InvoiceNumber">The invoice it credits.</param>
/// <param name="UsagePeriodStart">The usage period credited.</param>
/// <param name="Reason">Why.</param>
/// <param name="CorrectionId">The usage correction that caused it, if one did.</param>
/// <param name="Status">Pending or issued.</param>
/// <param name="Settlement">How it reached the customer.</param>
/// <param name="TotalCents">The amount credited (positive).</param>
/// <param name="Currency">ISO 4217, lower-case.</param>
/// <param name="CreatedAt">When it was stored.</param>
/// <param name="IssuedAt">When the provider carried it out.</param>
/// <param name="StripeCreditNoteId">The Stripe credit note, when the invoice is in Stripe.</param>
public sealed record CreditNoteRow(string Number, string InvoiceNumber, DateTimeOffset UsagePeriodStart, string Reason, string? CorrectionId,
    CreditNoteStatus Status, CreditNoteSettlement Settlement, long TotalCents, string Currency, DateTimeOffset CreatedAt, DateTimeOffset? IssuedAt,
    string? StripeCreditNoteId)
{
    /// <summary>The row of a stored credit note.</summary>
    public static CreditNoteRow From(CreditNote n) => new(n.Number, n.InvoiceNumber, n.UsagePeriodStart, n.Reason, n.CorrectionId, n.Status, n.Settlement,
        n.TotalCents, n.Currency, n.CreatedAt, n.IssuedAt, n.StripeCreditNoteId);
}
