using TenantPortal.Core.Common;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Web.Components.Tenant.Billing;

namespace TenantPortal.Web.Invoices;

/// <summary>
/// An invoice as a PDF (A4), with what the printable invoice page shows: who bills whom, number, status and dates,
/// the period and plan, every line with its quantity, unit price and amount, and the total (drawn by
/// <see cref="BillingDocumentPdf"/>). Text comes from <see cref="BillingFormat"/> and <see cref="Money"/>, as on the page.
/// </summary>
public sealed class InvoicePdfRenderer
{
    /// <summary>Installs the embedded fonts (<see cref="InvoiceFontResolver"/>) for the process.</summary>
    public InvoicePdfRenderer() => InvoiceFontResolver.Install();

    /// <summary>The invoice as the bytes of a PDF file.</summary>
    public byte[] Render(InvoiceDetail detail)
    {
        var invoice = detail.Invoice;
        return BillingDocumentPdf.Render(new BillingDocument(
            "Invoice", invoice.Number, detail.TenantName, detail.BillingEmail,
            BillingFormat.Period(invoice.PeriodStart, invoice.PeriodEnd), $"{detail.Tier} plan",
            [
                ("Status", invoice.Status.ToString()),
                ("Issued", BillingFormat.Day(invoice.IssuedAt)),
                ("Due", BillingFormat.Day(invoice.DueAt)),
                ("Paid", invoice.PaidAt is { } paid ? BillingFormat.Day(paid) : "—"),
            ],
            detail.Lines, "Total", invoice.TotalCents,
            "Amounts in US dollars. Usage beyond a plan's quota is billed at the unit price shown; each line is rounded once to the cent."));
    }
}
