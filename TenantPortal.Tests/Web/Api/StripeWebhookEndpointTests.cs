using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Tests.Infrastructure;
using static TenantPortal.Tests.Builders.StripeEventBuilder;

namespace TenantPortal.Tests.Web.Api;

/// <summary><c>POST /api/v1/stripe/webhook</c> on the real portal, signed with the webhook secret the factory configures.</summary>
[Collection(PortalCollection.Name)]
public class StripeWebhookEndpointTests(PortalAppFactory portal)
{
    private const string Route = "/api/v1/stripe/webhook";

    [Fact]
    public async Task Post_Answers200AndStoresTheEvent_ThenADuplicate_WhenTheSignatureHolds()
    {
        var eventId = $"evt_{Guid.NewGuid():N}";
        var payload = Event(eventId, "customer.created", DateTimeOffset.UtcNow, new JsonObject { ["id"] = "cus_web", ["object"] = "customer" });
        using var client = portal.CreateBrowserLikeClient();

        var first = await PostAsync(client, payload, Sign(payload, DateTimeOffset.UtcNow));
        var again = await PostAsync(client, payload, Sign(payload, DateTimeOffset.UtcNow));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("{\"received\":true,\"outcome\":\"ignored\"}", await first.Content.ReadAsStringAsync());
        Assert.Equal("{\"received\":true,\"outcome\":\"duplicate\"}", await again.Content.ReadAsStringAsync());
        var row = await InboxRowAsync(eventId);
        Assert.NotNull(row);
        Assert.Equal(("customer.created", WebhookOutcome.Ignored, 1), (row.Type, row.Outcome, row.Attempts));
    }

    [Fact]
    public async Task Post_Answers500_AndKeepsTheEventToRetry_WhenItCannotBeAppliedYet()
    {
        var eventId = $"evt_{Guid.NewGuid():N}";
        var payload = Event(eventId, "invoice.paid", DateTimeOffset.UtcNow, Invoice($"in_{Guid.NewGuid():N}", $"cus_unknown_{Guid.NewGuid():N}", "paid"));
        using var client = portal.CreateBrowserLikeClient();

        var response = await PostAsync(client, payload, Sign(payload, DateTimeOffset.UtcNow));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(eventId, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("eventId").GetString());
        var row = await InboxRowAsync(eventId);
        Assert.Equal(WebhookOutcome.Failed, row?.Outcome);
        Assert.Contains("No tenant is linked", row!.Error);
    }

    [Theory]
    [InlineData("bad")]
    [InlineData("missing")]
    [InlineData("stale")]
    public async Task Post_Answers400WithAProblem_AndStoresAndChangesNothing_WhenTheSignatureDoesNotHold(string problem)
    {
        var acme = await TenantAsync("acme");
        var eventId = $"evt_{Guid.NewGuid():N}";
        // Were it accepted, this would make acme PastDue.
        var invoice = Invoice($"in_{Guid.NewGuid():N}", "cus_acme_web", "open");
        invoice["metadata"]!["tenant_id"] = acme.Id.ToString();
        var payload = Event(eventId, "invoice.payment_failed", DateTimeOffset.UtcNow, invoice);
        var header = problem switch
        {
            "bad" => Sign(payload, DateTimeOffset.UtcNow, "whsec_not_the_portals_secret"),
            "stale" => Sign(payload, DateTimeOffset.UtcNow.AddMinutes(-10)),
            _ => null,
        };
        using var client = portal.CreateBrowserLikeClient();

        var response = await PostAsync(client, payload, header);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(400, body.GetProperty("status").GetInt32());
        Assert.True(body.GetProperty("errors").TryGetProperty("Stripe-Signature", out _), body.ToString());
        Assert.Null(await InboxRowAsync(eventId));
        var after = await TenantAsync("acme");
        Assert.Equal((acme.Status, acme.PastDueSince, acme.StripeStateAt), (after.Status, after.PastDueSince, after.StripeStateAt));
    }

    [Fact]
    public async Task Post_Answers413_WhenTheBodyIsOverItsLimit()
    {
        var payload = new string(' ', (int)TenantPortal.Web.Security.RequestBodyLimits.WebhookBytes + 1);
        using var client = portal.CreateBrowserLikeClient();

        var response = await PostAsync(client, payload, Sign(payload, DateTimeOffset.UtcNow));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string payload, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Route) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        if (signature is not null)
            request.Headers.Add("Stripe-Signature", signature);
        return await client.SendAsync(request);
    }

    private async Task<StripeWebhookEvent?> InboxRowAsync(string eventId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return await db.StripeWebhookEvents.AsNoTracking().SingleOrDefaultAsync(e => e.StripeEventId == eventId);
    }

    private async Task<Tenant> TenantAsync(string slug)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return await db.Tenants.AsNoTracking().SingleAsync(t => t.Slug == slug);
    }
}
