namespace TenantPortal.Web.Components.Tenant.Billing;

/// <summary>Addresses of the billing pages and downloads, relative to the base address.</summary>
public static class BillingLinks
{
    /// <summary>The printable page of an invoice: <c>t/{slug}/billing/invoices/{number}</c>.</summary>
    public static string Invoice(string slug, string number) =>
        $"{TenantTabs.Path(slug, TenantTab.Billing)}/invoices/{Uri.EscapeDataString(number)}";

    /// <summary>The invoice as a PDF: <c>t/{slug}/billing/invoices/{number}.pdf</c>.</summary>
    public static string InvoicePdf(string slug, string number) =>
        $"{TenantTabs.Path(slug, TenantTab.Billing)}/invoices/{Uri.EscapeDataString(number)}.pdf";

    /// <summary>The CSV of the usage events behind an invoice line.</summary>
    public static string LineUsageCsv(string slug, string number, Guid lineId) =>
        $"{Invoice(slug, number)}/lines/{lineId:D}/usage.csv";

    /// <summary>A credit note as a PDF, next to its invoice's: <c>t/{slug}/billing/invoices/{number}/credit-notes/{creditNote}.pdf</c>.</summary>
    public static string CreditNotePdf(string slug, string invoiceNumber, string creditNoteNumber) =>
        $"{Invoice(slug, invoiceNumber)}/credit-notes/{Uri.EscapeDataString(creditNoteNumber)}.pdf";
}
