using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Web.Invoices;
using UglyToad.PdfPig;

namespace TenantPortal.Tests.Web.Invoices;

public class InvoicePdfRendererTests
{
    private static readonly DateTimeOffset May = new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Render_WritesAPdf_ForTextOutsideTheEmbeddedFont_AndWithoutABillingEmail()
    {
        // A workspace may be named in any script; the font has no CJK or emoji glyphs, which must not fail the download.
        var detail = Detail("株式会社テスト 😀 Ωmega Ltd.", billingEmail: null, "Überfällige Nutzung — 東京 🚀");

        var pdf = new InvoicePdfRenderer().Render(detail);

        using var document = PdfDocument.Open(pdf);
        var text = string.Join(" ", document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        Assert.Contains("Ωmega", text);
        Assert.Contains("No billing email set", text);
        Assert.Contains("$12.34", text);
    }

    [Fact]
    public void Render_IsSafe_FromSeveralThreadsAtOnce()
    {
        var renderer = new InvoicePdfRenderer();

        var sizes = Enumerable.Range(0, 8).AsParallel().Select(i => renderer.Render(Detail($"Tenant {i}", $"billing{i}@example.test", $"Line {i}")).Length).ToList();

        Assert.All(sizes, size => Assert.True(size > 1_000));
    }

    private static InvoiceDetail Detail(string tenantName, string? billingEmail, string description) => new(
        new InvoiceRow("T-202605", May, May.AddMonths(1), InvoiceStatus.Open, 1_234, May.AddMonths(1).AddDays(1), May.AddMonths(1).AddDays(15), null, null),
        SubscriptionTier.Starter, tenantName, billingEmail,
        [new InvoiceLineRow(Guid.NewGuid(), InvoiceLineKind.Base, null, null, description, 1, 1_234, 1_234)]);
}
