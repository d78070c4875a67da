using Bunit;
using MudBlazor;
using TenantPortal.Core.Billing;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Components.Tenant.Billing;

namespace TenantPortal.Tests.Web.Components;

public class InvoicesTableTests : BunitTestContext
{
    private static readonly DateTimeOffset May = new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Render_ShowsEachStatusAsABadge()
    {
        var rows = Enum.GetValues<InvoiceStatus>().Select((s, i) => Row($"T-{i}", s)).ToList();

        var table = RenderTable(rows);

        Assert.Equal(["draft", "open", "paid", "void", "uncollectible"],
            table.FindAll(".invoice-row .invoice-status-chip").Select(c => c.GetAttribute("data-status")));
        Assert.Contains("Paid", table.FindAll(".invoice-row")[2].TextContent);
    }

    [Fact]
    public void Render_LinksToStripesHostedPage_WhenThereIsOne_ElseToThePrintablePage()
    {
        var table = RenderTable([Row("T-1", InvoiceStatus.Paid, hostedUrl: "https://invoice.stripe.test/i/abc"), Row("T-2", InvoiceStatus.Open)]);

        var links = table.FindAll(".invoice-row .invoice-link");
        Assert.Equal("hosted", links[0].GetAttribute("data-kind"));
        Assert.Equal("https://invoice.stripe.test/i/abc", links[0].GetAttribute("href"));
        Assert.Equal("_blank", links[0].GetAttribute("target"));
        Assert.Equal("printable", links[1].GetAttribute("data-kind"));
        Assert.Equal("t/bunit-team/billing/invoices/T-2", links[1].GetAttribute("href"));
        Assert.Contains("$276.30", table.FindAll(".invoice-row")[1].TextContent);
        Assert.Contains("May 2026", table.FindAll(".invoice-row")[1].TextContent);
    }

    [Fact]
    public void Render_OffersEachInvoiceAsAPdfDownload()
    {
        var table = RenderTable([Row("T-1", InvoiceStatus.Paid, hostedUrl: "https://invoice.stripe.test/i/abc"), Row("T-2", InvoiceStatus.Open)]);

        var downloads = table.FindAll(".invoice-row .invoice-pdf");
        Assert.Equal(["t/bunit-team/billing/invoices/T-1.pdf", "t/bunit-team/billing/invoices/T-2.pdf"], downloads.Select(d => d.GetAttribute("href")));
        Assert.Equal(["T-1.pdf", "T-2.pdf"], downloads.Select(d => d.GetAttribute("download")));
        Assert.Equal("Download invoice T-2 as PDF", downloads[1].GetAttribute("aria-label"));
    }

    [Fact]
    public void Render_ShowsTheEmptyState_WhenThereAreNoInvoices()
    {
        var table = RenderTable([]);

        Assert.Contains("No invoices yet", table.Find("#no-invoices").TextContent);
        Assert.Empty(table.FindAll("#invoices-table"));
    }

    private IRenderedComponent<InvoicesTable> RenderTable(IReadOnlyList<InvoiceRow> rows)
    {
        Render<MudPopoverProvider>();
        return Render<InvoicesTable>(p => p.Add(x => x.Slug, "bunit-team").Add(x => x.Invoices, rows));
    }

    private static InvoiceRow Row(string number, InvoiceStatus status, string? hostedUrl = null) =>
        new(number, May, May.AddMonths(1), status, 27_630, May.AddMonths(1).AddDays(1), May.AddMonths(1).AddDays(15),
            status == InvoiceStatus.Paid ? May.AddMonths(1).AddDays(3) : null, hostedUrl);
}
