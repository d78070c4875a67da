using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Components.Tenant.Billing;
using UglyToad.PdfPig;

namespace TenantPortal.Tests.Web.Api;

/// <summary>
/// An invoice as PDF, over HTTP with the portal's cookie, read back with PdfPig. Each test arranges an invoice of acme for
/// February 2001 (a base line, an overage line and a credit with a long description) and removes it afterwards, so
/// that the tests of acme's demo invoices see them as seeded.
/// </summary>
[Collection(PortalCollection.Name)]
public partial class InvoicePdfEndpointTests(PortalAppFactory portal) : IAsyncLifetime
{
    private const string Number = "ACME-PDF-200102";
    private const string ManyLinesNumber = "ACME-PDF-200103";
    private static readonly DateTimeOffset Period = new(2001, 2, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Pdf_HoldsNumberPeriodTenantBillingEmailEveryLineAndTheTotal_ForAnOwner()
    {
        var arranged = await ArrangeAsync(Number, Period, lines: 0);
        using var client = await SignedInAsync("owner@acme.test");

        var response = await client.GetAsync(PdfPath("acme", Number));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{Number}.pdf", response.Content.Headers.ContentDisposition?.FileNameStar);
        var text = Text(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains(Number, text);
        Assert.Contains(Words(BillingFormat.Period(Period, Period.AddMonths(1))), text); // "1 – 28 February 2001"
        Assert.Contains(Words(arranged.TenantName), text);
        Assert.Contains(arranged.BillingEmail!, text);
        foreach (var line in arranged.Invoice.Lines)
        {
            Assert.Contains(Money.Format(line.AmountCents), text);
            // A long description wraps onto several lines of the PDF, beside the line's numbers: its words are all there, in order.
            AssertContainsInOrder(text, line.Description);
        }
        Assert.Contains($"Total {Money.Format(arranged.Invoice.TotalCents)}", text);
        Assert.Equal(arranged.Invoice.Lines.Sum(l => l.AmountCents), arranged.Invoice.TotalCents);
    }

    [Fact]
    public async Task Pdf_ContinuesOnFurtherPages_WhenTheLinesDoNotFitOnOne()
    {
        var arranged = await ArrangeAsync(ManyLinesNumber, Period.AddMonths(1), lines: 70);
        using var client = await SignedInAsync("owner@acme.test");

        var response = await client.GetAsync(PdfPath("acme", ManyLinesNumber));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using (var document = PdfDocument.Open(bytes))
            Assert.True(document.NumberOfPages > 1, $"{document.NumberOfPages} page(s)");
        var text = Text(bytes);
        foreach (var line in arranged.Invoice.Lines)
            AssertContainsInOrder(text, line.Description);
        Assert.Contains($"Total {Money.Format(arranged.Invoice.TotalCents)}", text);
    }

    [Fact]
    public async Task Pdf_IsAllowed_ForAnAdmin()
    {
        await ArrangeAsync(Number, Period, lines: 0);
        using var client = await SignedInAsync("admin@acme.test");

        var response = await client.GetAsync(PdfPath("acme", Number));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("member@acme.test")]
    [InlineData("viewer@acme.test")]
    public async Task Pdf_IsForbidden_BelowAdmin(string email)
    {
        await ArrangeAsync(Number, Period, lines: 0);
        using var client = await SignedInAsync(email);

        var response = await client.GetAsync(PdfPath("acme", Number));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.NotEqual("application/pdf", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Pdf_IsNotFound_ForAnotherTenantsOwner_RevealingNothing()
    {
        var arranged = await ArrangeAsync(Number, Period, lines: 0);
        using var client = await SignedInAsync("owner@initech.test");

        // Acme's address, and acme's invoice number under initech's own address.
        var foreign = await client.GetAsync(PdfPath("acme", Number));
        var underOwn = await client.GetAsync(PdfPath("initech", Number));

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (foreign.StatusCode, underOwn.StatusCode));
        foreach (var body in new[] { await foreign.Content.ReadAsStringAsync(), await underOwn.Content.ReadAsStringAsync() })
        {
            Assert.DoesNotContain(arranged.TenantName, body);
            Assert.DoesNotContain(arranged.BillingEmail!, body);
            Assert.DoesNotContain("%PDF", body);
        }
    }

    [Theory]
    [InlineData("ACME-209901", HttpStatusCode.NotFound)]
    [InlineData("..", HttpStatusCode.NotFound)]
    [InlineData("%3Cscript%3E", HttpStatusCode.NotFound)]
    [InlineData("ACME-PDF-200102%20OR%201%3D1", HttpStatusCode.NotFound)]
    [InlineData("%F0%9F%A7%BE", HttpStatusCode.NotFound)]
    [InlineData("%00", HttpStatusCode.BadRequest)] // a NUL in the address is refused before any endpoint
    public async Task Pdf_IsRefused_NeverAServerError_ForABadNumber(string number, HttpStatusCode expected)
    {
        await ArrangeAsync(Number, Period, lines: 0);
        using var client = await SignedInAsync("owner@acme.test");

        var response = await client.GetAsync($"/t/acme/billing/invoices/{number}.pdf");

        Assert.Equal(expected, response.StatusCode);
        Assert.DoesNotContain("%PDF", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Pdf_IsNotFound_NeverAServerError_ForAVeryLongNumber()
    {
        using var client = await SignedInAsync("owner@acme.test");

        var response = await client.GetAsync(PdfPath("acme", new string('9', 5_000)));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Pdf_IsUnauthorized_ForAnAnonymousVisitor()
    {
        await ArrangeAsync(Number, Period, lines: 0);
        using var client = portal.CreateBrowserLikeClient();

        var response = await client.GetAsync(PdfPath("acme", Number));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("%PDF", await response.Content.ReadAsStringAsync());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test clean-up");
        string[] numbers = [Number, ManyLinesNumber];
        await db.InvoiceLines.Where(l => db.Invoices.Any(i => i.Id == l.InvoiceId && numbers.Contains(i.Number))).ExecuteDeleteAsync();
        await db.Invoices.Where(i => numbers.Contains(i.Number)).ExecuteDeleteAsync();
    }

    private static string PdfPath(string slug, string number) => $"/t/{slug}/billing/invoices/{Uri.EscapeDataString(number)}.pdf";

    // The PDF's words, in the order drawn, one space apart.
    private static string Text(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Join(" ", document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
    }

    private static string Words(string text) => Whitespace().Replace(text, " ").Trim();

    // PdfPig orders words by position, so a wrapped description's first row has the line's numbers among its words:
    // every word of the description must still come in order.
    private static void AssertContainsInOrder(string text, string expected)
    {
        var words = text.Split(' ');
        var at = 0;
        foreach (var word in Words(expected).Split(' '))
        {
            while (at < words.Length && words[at] != word)
                at++;
            Assert.True(at < words.Length, $"\"{word}\" of \"{expected}\" is missing (in order) from the PDF's text: {text}");
            at++;
        }
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    private async Task<HttpClient> SignedInAsync(string email)
    {
        var client = portal.CreateBrowserLikeClient();
        var login = await AccountClient.LogInAsync(client, email, PortalAppFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return client;
    }

    private sealed record Arranged(Invoice Invoice, string TenantName, string? BillingEmail);

    // An invoice of acme: a base line, an API-call overage line, a credit whose description is long enough to wrap, and
    // extraLines more base-like lines.
    private async Task<Arranged> ArrangeAsync(string number, DateTimeOffset period, int lines)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        var acme = await db.Tenants.AsNoTracking().SingleAsync(t => t.Slug == "acme");
        var existing = await db.Invoices.AsNoTracking().Include(i => i.Lines).SingleOrDefaultAsync(i => i.Number == number);
        if (existing is not null)
            return new Arranged(existing, acme.Name, acme.BillingEmail);

        var invoice = new Invoice
        {
            TenantId = acme.Id, Number = number, PeriodStart = period, PeriodEnd = period.AddMonths(1), Tier = SubscriptionTier.Professional,
            Status = InvoiceStatus.Open, IssuedAt = period.AddMonths(1).AddDays(1), DueAt = period.AddMonths(1).AddDays(15),
        };
        invoice.Lines.Add(new InvoiceLine
        {
            TenantId = acme.Id, InvoiceId = invoice.Id, Kind = InvoiceLineKind.Base, Description = "Professional plan, February 2001",
            Quantity = 1, UnitPriceCents = 19_900, AmountCents = 19_900,
        });
        invoice.Lines.Add(new InvoiceLine
        {
            TenantId = acme.Id, InvoiceId = invoice.Id, Kind = InvoiceLineKind.Overage, Metric = UsageMetric.ApiCalls, UsagePeriodStart = period,
            Description = "API calls over the 1,000,000 included", Quantity = 50_000, UnitPriceCents = OverageRates.ApiCallCents, AmountCents = 5_000,
        });
        invoice.Lines.Add(new InvoiceLine
        {
            TenantId = acme.Id, InvoiceId = invoice.Id, Kind = InvoiceLineKind.Adjustment,
            Description = "Unused time on the annual Starter plan, 14 Feb 2001 – 31 Jan 2002, credited after the upgrade to Professional that the owner made mid-term",
            Quantity = -0.958904m, UnitPriceCents = -49_000, AmountCents = -46_986,
        });
        for (var i = 1; i <= lines; i++)
        {
            invoice.Lines.Add(new InvoiceLine
            {
                TenantId = acme.Id, InvoiceId = invoice.Id, Kind = InvoiceLineKind.Adjustment, Metric = UsageMetric.GpuHours, UsagePeriodStart = period.AddMonths(-1),
                Description = $"GPU hours reported late, batch {i:D3}", Quantity = i, UnitPriceCents = OverageRates.GpuHourCents, AmountCents = 250L * i,
            });
        }
        invoice.RecalculateTotal();
        db.Invoices.Add(invoice);
        await db.SaveChangesAsync();
        return new Arranged(invoice, acme.Name, acme.BillingEmail);
    }
}
