using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Api;

/// <summary>
/// The usage CSV behind an invoice line, over HTTP with the portal's cookie. Each test arranges an invoice of acme for
/// January 2001 (an API-call overage line and two events behind it) and removes it afterwards, so that the tests of acme's
/// demo invoices see them as seeded.
/// </summary>
[Collection(PortalCollection.Name)]
public class InvoiceExportEndpointTests(PortalAppFactory portal) : IAsyncLifetime
{
    private const string Number = "ACME-CSV-200101";
    private static readonly DateTimeOffset Period = new(2001, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task UsageCsv_StreamsTheLinesEvents_ForAnOwner()
    {
        var (_, lineId) = await ArrangeAsync();
        using var client = await SignedInAsync("owner@acme.test");

        var response = await client.GetAsync(Path(lineId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{Number}-api_calls-2001-01.csv", response.Content.Headers.ContentDisposition?.FileNameStar);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(InvoiceService.CsvHeader, lines[0].TrimEnd('\r'));
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("csv-evt-1,api_calls,1500", lines[1]);
        Assert.Contains(",2001-01-05T10:00:00.000Z,", lines[1]);
    }

    [Fact]
    public async Task UsageCsv_IsAllowed_ForAnAdmin()
    {
        var (_, lineId) = await ArrangeAsync();
        using var client = await SignedInAsync("admin@acme.test");

        var response = await client.GetAsync(Path(lineId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task UsageCsv_IsForbidden_BelowAdmin()
    {
        var (_, lineId) = await ArrangeAsync();
        using var client = await SignedInAsync("viewer@acme.test");

        var response = await client.GetAsync(Path(lineId));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("csv-evt-1", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UsageCsv_IsNotFound_ForAnotherTenantsOwner()
    {
        var (_, lineId) = await ArrangeAsync();
        using var client = await SignedInAsync("owner@initech.test");

        var response = await client.GetAsync(Path(lineId));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("csv-evt-1", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UsageCsv_IsNotFound_ForALineThatHasNoUsage()
    {
        var (baseLineId, _) = await ArrangeAsync();
        using var client = await SignedInAsync("owner@acme.test");

        var response = await client.GetAsync(Path(baseLineId));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task UsageCsv_IsUnauthorized_ForAnAnonymousVisitor()
    {
        var (_, lineId) = await ArrangeAsync();
        using var client = portal.CreateBrowserLikeClient();

        var response = await client.GetAsync(Path(lineId));

        // .NET 10's cookie handler answers API endpoints (minimal APIs) with 401 rather than the login redirect.
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("csv-evt-1", await response.Content.ReadAsStringAsync());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test clean-up");
        await db.InvoiceLines.Where(l => db.Invoices.Any(i => i.Id == l.InvoiceId && i.Number == Number)).ExecuteDeleteAsync();
        await db.Invoices.Where(i => i.Number == Number).ExecuteDeleteAsync();
        await db.UsageEvents.Where(e => e.ClientEventId.StartsWith("csv-evt-")).ExecuteDeleteAsync();
    }

    private static string Path(Guid lineId) => $"/t/acme/billing/invoices/{Number}/lines/{lineId}/usage.csv";

    private async Task<HttpClient> SignedInAsync(string email)
    {
        var client = portal.CreateBrowserLikeClient();
        var login = await AccountClient.LogInAsync(client, email, PortalAppFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return client;
    }

    // An invoice of acme with a base line and an overage line, and the two events the overage line bills (once).
    private async Task<(Guid BaseLineId, Guid OverageLineId)> ArrangeAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        var existing = await db.Invoices.Include(i => i.Lines).SingleOrDefaultAsync(i => i.Number == Number);
        if (existing is not null)
            return (existing.Lines.Single(l => l.Metric is null).Id, existing.Lines.Single(l => l.Metric is not null).Id);

        var acme = await db.Tenants.SingleAsync(t => t.Slug == "acme");
        var invoice = new Invoice
        {
            TenantId = acme.Id, Number = Number, PeriodStart = Period, PeriodEnd = Period.AddMonths(1), Tier = SubscriptionTier.Professional,
            Status = InvoiceStatus.Paid, IssuedAt = Period.AddMonths(1).AddDays(1), DueAt = Period.AddMonths(1).AddDays(15), PaidAt = Period.AddMonths(1).AddDays(3),
        };
        var baseLine = new InvoiceLine
        {
            TenantId = acme.Id, InvoiceId = invoice.Id, Kind = InvoiceLineKind.Base, Description = "Professional plan", Quantity = 1, UnitPriceCents = 19_900, AmountCents = 19_900,
        };
        var overage = new InvoiceLine
        {
            TenantId = acme.Id, InvoiceId = invoice.Id, Kind = InvoiceLineKind.Overage, Metric = UsageMetric.ApiCalls, UsagePeriodStart = Period,
            Description = "API calls over the 1,000,000 included", Quantity = 2_000, UnitPriceCents = OverageRates.ApiCallCents, AmountCents = 200,
        };
        invoice.Lines.AddRange([baseLine, overage]);
        invoice.RecalculateTotal();
        db.Invoices.Add(invoice);
        db.UsageEvents.AddRange(
            new UsageEvent { TenantId = acme.Id, ClientEventId = "csv-evt-1", Metric = UsageMetric.ApiCalls, Quantity = 1_500, Timestamp = Period.AddDays(4).AddHours(10), ReceivedAt = Period.AddDays(4).AddHours(10) },
            new UsageEvent { TenantId = acme.Id, ClientEventId = "csv-evt-2", Metric = UsageMetric.ApiCalls, Quantity = 500, Timestamp = Period.AddDays(20), ReceivedAt = Period.AddDays(20) });
        await db.SaveChangesAsync();
        return (baseLine.Id, overage.Id);
    }
}
