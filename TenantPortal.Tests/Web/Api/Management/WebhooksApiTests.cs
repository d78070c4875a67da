using System.Net;
using System.Text;
using System.Text.Json;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Webhooks;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Api.Management;

/// <summary>The webhook routes on the running portal, with Hangfire running the dispatch and delivery jobs for real.</summary>
[Collection(PortalCollection.Name)]
public class WebhooksApiTests(PortalAppFactory portal)
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("{}", "url")]
    [InlineData("{\"url\":\"ftp://example.com/hooks\"}", "url")]
    [InlineData("{\"url\":\"https://user:pw@example.invalid/hooks\"}", "url")]
    [InlineData("{\"url\":42}", "url")]
    [InlineData("{\"url\":\"https://example.invalid/hooks\",\"events\":[\"invoice.sent\"]}", "events")]
    [InlineData("{\"url\":\"https://example.invalid/hooks\",\"events\":\"invoice.paid\"}", "events")]
    [InlineData("{\"url\":\"https://example.invalid/hooks\",\"events\":[]}", "events")]
    [InlineData("{\"url\":\"https://example.invalid/hooks\",\"colour\":\"red\"}", "colour")]
    public async Task Create_Answers422NamingTheField_AndRegistersNothing(string body, string field)
    {
        var (_, key) = await WebhooksApi.TenantAsync(portal);
        using var client = ApiKeys.ClientFor(portal, key);

        var response = await client.PostAsync("/api/v1/webhook-endpoints", Json(body));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), problem.RootElement.ToString());
        var list = await client.GetStringAsync("/api/v1/webhook-endpoints");
        Assert.Equal(0, JsonDocument.Parse(list).RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Create_Answers201WithTheSecretOnce_AndReadsNeverShowIt()
    {
        var (_, key) = await WebhooksApi.TenantAsync(portal);
        using var client = ApiKeys.ClientFor(portal, key);

        var response = await client.PostAsync("/api/v1/webhook-endpoints", Json("{\"url\":\"https://example.invalid/hooks\",\"description\":\"ERP\"}"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var created = JsonDocument.Parse(text);
        var secret = created.RootElement.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret);
        var events = created.RootElement.GetProperty("endpoint").GetProperty("events").EnumerateArray().Select(e => e.GetString()!).Order().ToList();
        Assert.Equal(WebhookEventTypes.Default.Order().ToList(), events);
        var id = created.RootElement.GetProperty("endpoint").GetProperty("id").GetString();
        Assert.DoesNotContain(secret, await client.GetStringAsync("/api/v1/webhook-endpoints"));
        Assert.DoesNotContain(secret, await client.GetStringAsync($"/api/v1/webhook-endpoints/{id}"));
        var rotated = await client.PostAsync($"/api/v1/webhook-endpoints/{id}/rotate-secret", null);
        var next = JsonDocument.Parse(await rotated.Content.ReadAsStringAsync()).RootElement;
        Assert.NotEqual(secret, next.GetProperty("secret").GetString());
        Assert.True(next.GetProperty("endpoint").GetProperty("previousSecretExpiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(23));
    }

    [Fact]
    public async Task Routes_Answer403NotInYourPlan_ForATenantWithoutTheWebhooksFeature()
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, SubscriptionTier.Starter, TenantStatus.Active);
        using var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, slug, ApiKeyScopes.WebhooksRead, ApiKeyScopes.WebhooksWrite));

        var list = await client.GetAsync("/api/v1/webhook-endpoints");
        var create = await client.PostAsync("/api/v1/webhook-endpoints", Json("{\"url\":\"https://example.invalid/hooks\"}"));

        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        var problem = JsonDocument.Parse(await create.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(ErrorCodes.FeatureNotIncluded, problem.GetProperty("code").GetString());
        Assert.Equal("Sending webhooks is not included in the Starter plan. Upgrade to Professional or Enterprise to use it.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Deliveries_Answer422_ForABadFilterOrCursor()
    {
        var (_, key) = await WebhooksApi.TenantAsync(portal);
        using var client = ApiKeys.ClientFor(portal, key);

        foreach (var (query, field) in new[] { ("status=done", "status"), ("eventType=nope", "eventType"), ("limit=0", "limit"), ("cursor=zzz", "cursor"), ("endpointId=x", "endpointId") })
        {
            var response = await client.GetAsync($"/api/v1/webhook-deliveries?{query}");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task AnAuditedChange_IsDeliveredByHangfire_SignedAndListed_AndResendSendsTheSameEventAgain()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (_, key) = await WebhooksApi.TenantAsync(portal);
        using var client = ApiKeys.ClientFor(portal, key);

        // Registering the endpoint is itself an audited change: with audit.entry it is the endpoint's first event.
        var (endpointId, secret) = await WebhooksApi.CreateEndpointAsync(portal, key, receiver.Url, WebhookEventTypes.AuditEntry);
        receiver.Secrets.Add(secret);
        await TestTimeouts.WaitUntilAsync(() => receiver.ProcessedEvents >= 1, "the webhook_endpoint.created event at the receiver");

        var first = receiver.Requests.First();
        Assert.True(first.SignatureValid);
        Assert.Equal(WebhookEventTypes.AuditEntry, first.EventType);
        Assert.Equal("webhook_endpoint.created", JsonDocument.Parse(first.Body).RootElement.GetProperty("data").GetProperty("action").GetString());
        JsonElement? delivery = null;
        var deadline = DateTime.UtcNow + TestTimeouts.Generous;
        while (delivery is null && DateTime.UtcNow < deadline)
        {
            var page = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/webhook-deliveries?endpointId={endpointId}&status=succeeded")).RootElement;
            delivery = page.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("eventId").GetString() == first.EventId).Select(i => (JsonElement?)i.Clone()).FirstOrDefault();
            if (delivery is null)
                await Task.Delay(50);
        }
        Assert.NotNull(delivery);
        Assert.Equal(200, delivery.Value.GetProperty("lastResponseCode").GetInt32());

        var resend = await client.PostAsync($"/api/v1/webhook-deliveries/{delivery.Value.GetProperty("id").GetString()}/resend", null);
        Assert.Equal(HttpStatusCode.Accepted, resend.StatusCode);
        await TestTimeouts.WaitUntilAsync(() => receiver.Duplicates >= 1, "the resent event at the receiver");
        Assert.Equal(2, receiver.Requests.Count(r => r.EventId == first.EventId));

        var deleted = await client.DeleteAsync($"/api/v1/webhook-endpoints/{endpointId}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }
}
