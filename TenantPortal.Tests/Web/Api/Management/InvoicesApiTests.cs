using System.Net;
using System.Text.Json;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Tests.Infrastructure;
using static TenantPortal.Tests.Infrastructure.ApiResponses;

namespace TenantPortal.Tests.Web.Api.Management;

[Collection(PortalCollection.Name)]
public class InvoicesApiTests(PortalAppFactory portal)
{
    private static readonly DateTimeOffset October = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);


    // A Starter tenant of its own with an October invoice (100,500 API calls: 500 over the quota), the events behind it and a billing:read key.
    private async Task<(string Slug, string Number, HttpClient Client)> InvoicedTenantAsync()
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, SubscriptionTier.Starter, TenantStatus.Active);
        var number = await ApiBilling.AddInvoiceAsync(portal, slug, October, new PeriodUsage(100_500, 0, 0));
        await ApiBilling.AddEventsAsync(portal, slug,
            ("ev-1", UsageMetric.ApiCalls, 70_000, October.AddDays(1).AddHours(3)),
            ("ev,2", UsageMetric.ApiCalls, 30_500, October.AddDays(8)),
            ("gpu-1", UsageMetric.GpuHours, 2, October.AddDays(2)),
            ("next-month", UsageMetric.ApiCalls, 5, October.AddMonths(1).AddHours(1)));
        return (slug, number, ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, slug, ApiKeyScopes.BillingRead)));
    }

    [Fact]
    public async Task List_ReturnsTheInvoicesNewestFirst_WithTheirMoneyInCents()
    {
        using var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, "acme", ApiKeyScopes.BillingRead));

        var response = await client.GetAsync("/api/v1/invoices?limit=100");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = (await BodyAsync(response)).GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        var starts = items.Select(i => i.GetProperty("periodStart").GetDateTimeOffset()).ToList();
        Assert.Equal(starts.OrderDescending(), starts);
        Assert.All(items, i =>
        {
            Assert.StartsWith("ACME-", i.GetProperty("number").GetString());
            Assert.Equal("usd", i.GetProperty("currency").GetString());
            Assert.True(i.GetProperty("totalCents").GetInt64() > 0);
            Assert.Equal(JsonValueKind.String, i.GetProperty("status").ValueKind);
        });
    }

    [Fact]
    public async Task List_WalkingThePages_ReturnsEveryInvoiceOnce()
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, SubscriptionTier.Starter, TenantStatus.Active);
        var numbers = new List<string>();
        for (var m = 0; m < 5; m++)
            numbers.Add(await ApiBilling.AddInvoiceAsync(portal, slug, October.AddMonths(-m), new PeriodUsage(0, 0, 0)));
        using var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, slug, ApiKeyScopes.BillingRead));

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var body = await BodyAsync(await client.GetAsync("/api/v1/invoices?limit=2" + (cursor is null ? "" : "&cursor=" + cursor)));
            seen.AddRange(body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("number").GetString()!));
            cursor = body.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(numbers, seen);
    }

    [Theory]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("cursor=***", "cursor")]
    [InlineData("cursor=Ym9ndXM", "cursor")]
    public async Task List_WithBadPaging_Is422NamingTheParameter(string query, string parameter)
    {
        using var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, "acme", ApiKeyScopes.BillingRead));

        var response = await client.GetAsync($"/api/v1/invoices?{query}");

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "invalid", parameter);
    }

    [Fact]
    public async Task Get_ReturnsTheInvoiceWithItsLines_AsStored()
    {
        var (_, number, client) = await InvoicedTenantAsync();
        using var _c = client;

        var response = await client.GetAsync($"/api/v1/invoices/{number}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await BodyAsync(response);
        Assert.Equal(number, body.GetProperty("number").GetString());
        Assert.Equal("Starter", body.GetProperty("tier").GetString());
        Assert.Equal(4_950, body.GetProperty("totalCents").GetInt64());
        var lines = body.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal(("Base", 4_900L), (lines[0].GetProperty("kind").GetString(), lines[0].GetProperty("amountCents").GetInt64()));
        Assert.Equal(JsonValueKind.Null, lines[0].GetProperty("metric").ValueKind);
        var overage = lines[1];
        Assert.Equal(("Overage", "api_calls", 500m, 0.1m, 50L), (overage.GetProperty("kind").GetString(), overage.GetProperty("metric").GetString(),
            overage.GetProperty("quantity").GetDecimal(), overage.GetProperty("unitPriceCents").GetDecimal(), overage.GetProperty("amountCents").GetInt64()));
    }

    [Fact]
    public async Task UsageCsv_HoldsTheEventsBehindTheInvoice_AsAnAttachment()
    {
        var (_, number, client) = await InvoicedTenantAsync();
        using var _c = client;

        var response = await client.GetAsync($"/api/v1/invoices/{number}/usage.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"{number}-usage.csv", response.Content.Headers.ContentDisposition?.FileNameStar);
        var rows = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(r => r.TrimEnd('\r')).ToList();
        Assert.Equal("event_id,metric,quantity,timestamp,received_at", rows[0]);
        Assert.Equal(2, rows.Count - 1);
        Assert.StartsWith("ev-1,api_calls,70000,2026-10-02T03:00:00.000Z,", rows[1]);
        Assert.StartsWith("\"ev,2\",api_calls,30500,", rows[2]);
    }

    [Fact]
    public async Task UsageCsv_OfAnInvoiceWithoutUsageLines_IsTheHeaderAlone()
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, SubscriptionTier.Starter, TenantStatus.Active);
        var number = await ApiBilling.AddInvoiceAsync(portal, slug, October, new PeriodUsage(10, 0, 0));
        using var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, slug, ApiKeyScopes.BillingRead));

        var response = await client.GetAsync($"/api/v1/invoices/{number}/usage.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("event_id,metric,quantity,timestamp,received_at", (await response.Content.ReadAsStringAsync()).TrimEnd());
    }

    [Theory]
    [InlineData("")]
    [InlineData("/usage.csv")]
    public async Task UnknownNumber_OrAnotherTenantsNumber_Is404(string suffix)
    {
        var (_, number, _) = await InvoicedTenantAsync();
        var other = await ApiKeys.CreateTenantAsync(portal, SubscriptionTier.Starter, TenantStatus.Active);
        using var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, other, ApiKeyScopes.All.ToArray()));

        var theirs = await client.GetAsync($"/api/v1/invoices/{number}{suffix}");
        var unknown = await client.GetAsync($"/api/v1/invoices/NOPE-202610{suffix}");

        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal("not_found", (await BodyAsync(theirs)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Null(theirs.Content.Headers.ContentDisposition);
    }

    [Theory]
    [InlineData("/api/v1/invoices")]
    [InlineData("/api/v1/invoices/{number}")]
    [InlineData("/api/v1/invoices/{number}/usage.csv")]
    public async Task WithoutBillingRead_Is403MissingScope_AndARevokedKeyIs401(string path)
    {
        var (slug, number, _) = await InvoicedTenantAsync();
        using var without = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, slug, ApiKeyScopes.All.Where(s => s != ApiKeyScopes.BillingRead).ToArray()));
        var secret = await ApiKeys.CreateAsync(portal, slug, ApiKeyScopes.BillingRead);
        using var revoked = ApiKeys.ClientFor(portal, secret);
        await ApiKeys.RevokeAsync(portal, secret);

        var forbidden = await without.GetAsync(path.Replace("{number}", number));
        var unauthorized = await revoked.GetAsync(path.Replace("{number}", number));

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("missing_scope", (await BodyAsync(forbidden)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
    }
}
