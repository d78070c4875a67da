namespace TenantPortal.Data.Services.Billing;

/// <summary>A credit note with its lines and who it is addressed to (its PDF).</summary>
/// <param name="CreditNote">The credit note.</param>
/// <param name="TenantName">The customer.</param>
/// <param name="BillingEmail">Where invoices go.</param>
/// <param name="Lines">The lines, in order; amounts positive (credited).</param>
public sealed record CreditNoteDetail(CreditNoteRow CreditNote, string TenantName, string? BillingEmail, IReadOnlyList<InvoiceLineRow> Lines);
