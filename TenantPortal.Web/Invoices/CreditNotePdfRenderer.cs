using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Web.Components.Tenant.Billing;

namespace TenantPortal.Web.Invoices;

/// <summary>
/// A credit note as a PDF (A4), drawn like the invoice (<see cref="BillingDocumentPdf"/>): the number, its status and
/// dates, the usage period and the invoice it credits, one line per metric with the quantity and amount credited, and
/// the total credited.
/// </summary>
public sealed class CreditNotePdfRenderer
{
    /// <summary>Installs the embedded fonts (<see cref="InvoiceFontResolver"/>) for the process.</summary>
    public CreditNotePdfRenderer() => InvoiceFontResolver.Install();

    /// <summary>The credit note as the bytes of a PDF file.</summary>
    public byte[] Render(CreditNoteDetail detail)
    {
        var note = detail.CreditNote;
        return BillingDocumentPdf.Render(new BillingDocument(
            "Credit note", note.Number, detail.TenantName, detail.BillingEmail,
            BillingFormat.Period(note.UsagePeriodStart, note.UsagePeriodStart.AddMonths(1)), $"Credits invoice {note.InvoiceNumber}",
            [
                ("Status", CreditNoteText.Status(note.Status)),
                ("Created", BillingFormat.Day(note.CreatedAt)),
                ("Issued", note.IssuedAt is { } issued ? BillingFormat.Day(issued) : "—"),
                ("Settled", CreditNoteText.Settlement(note.Settlement)),
            ],
            detail.Lines, "Total credited", note.TotalCents,
            $"Amounts in US dollars, credited against invoice {note.InvoiceNumber}. Reason: {note.Reason}"));
    }
}
