namespace TenantPortal.Data.Services.Billing;

/// <summary>What a run of the monthly-invoicing job did.</summary>
/// <param name="Tenants">Tenants looked at.</param>
/// <param name="Issued">Invoices created.</param>
/// <param name="AdjustmentLines">Late-usage adjustment lines among them.</param>
/// <param name="TotalCents">Sum of the invoices created.</param>
/// <param name="NotIssued">Invoices the payment provider could not take yet (kept as Draft, retried next run).</param>
public sealed record InvoicingSummary(int Tenants, int Issued, int AdjustmentLines, long TotalCents, int NotIssued)
{
    /// <summary>Nothing done.</summary>
    public static readonly InvoicingSummary None = new(0, 0, 0, 0, 0);

    /// <summary>Adds two summaries.</summary>
    public static InvoicingSummary operator +(InvoicingSummary a, InvoicingSummary b) =>
        new(a.Tenants + b.Tenants, a.Issued + b.Issued, a.AdjustmentLines + b.AdjustmentLines, a.TotalCents + b.TotalCents, a.NotIssued + b.NotIssued);
}
