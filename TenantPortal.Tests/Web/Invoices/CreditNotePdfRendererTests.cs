using TenantPortal.Core.Billing;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Web.Invoices;
using UglyToad.PdfPig;

namespace TenantPortal.Tests.Web.Invoices;

public class CreditNotePdfRendererTests
{
    private static readonly DateTimeOffset October = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Render_WritesTheCreditNote_WithTheInvoiceItCredits_ItsLinesAndTotal()
    {
        var detail = new CreditNoteDetail(
            new CreditNoteRow("ACME-202610-CN1", "ACME-202610", October, "Duplicate events voided", "corr-1", CreditNoteStatus.Issued,
                CreditNoteSettlement.AmountDueReduced, 5_667, "usd", October.AddMonths(1).AddDays(3), October.AddMonths(1).AddDays(3), null),
            "Acme Corporation", "billing@acme.test",
            [
                new InvoiceLineRow(Guid.NewGuid(), InvoiceLineKind.Adjustment, UsageMetric.ApiCalls, October, "API calls corrected", 20_000, 0.1m, 2_000),
                new InvoiceLineRow(Guid.NewGuid(), InvoiceLineKind.Adjustment, UsageMetric.GpuHours, October, "GPU hours corrected", 14.667m, 250, 3_667),
            ]);

        var pdf = new CreditNotePdfRenderer().Render(detail);

        using var document = PdfDocument.Open(pdf);
        var text = string.Join(" ", document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        Assert.Equal("Credit note ACME-202610-CN1", document.Information.Title);
        Assert.Contains("ACME-202610-CN1", text);
        Assert.Contains("Credits invoice ACME-202610", text);
        Assert.Contains("$36.67", text);
        Assert.Contains("$56.67", text);
        Assert.Contains("Taken off the amount due", text);
    }
}
