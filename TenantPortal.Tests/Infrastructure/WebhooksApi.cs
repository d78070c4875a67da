using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Webhooks;
using TenantPortal.Data;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>Webhook arrangements on the running portal: a Professional tenant of its own with an endpoint, and a delivery.</summary>
public static class WebhooksApi
{
    /// <summary>A fresh Professional tenant (webhooks in its plan) and a key with both webhook scopes.</summary>
    public static async Task<(string Slug, string Key)> TenantAsync(PortalAppFactory portal, params string[] moreScopes)
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, SubscriptionTier.Professional, TenantStatus.Active);
        var key = await ApiKeys.CreateAsync(portal, slug, [ApiKeyScopes.WebhooksRead, ApiKeyScopes.WebhooksWrite, .. moreScopes]);
        return (slug, key);
    }

    /// <summary>Registers an endpoint through the API; its id and secret.</summary>
    public static async Task<(Guid Id, string Secret)> CreateEndpointAsync(PortalAppFactory portal, string key, string url, params string[] events)
    {
        using var client = ApiKeys.ClientFor(portal, key);
        var body = JsonSerializer.Serialize(new { url, events = events.Length == 0 ? null : events });
        var response = await client.PostAsync("/api/v1/webhook-endpoints", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        using var json = JsonDocument.Parse(text);
        return (json.RootElement.GetProperty("endpoint").GetProperty("id").GetGuid(), json.RootElement.GetProperty("secret").GetString()!);
    }

    /// <summary>A tenant with an endpoint and one succeeded delivery (written directly); slug and ids.</summary>
    public static async Task<(string Slug, Guid EndpointId, Guid DeliveryId)> DeliveredAsync(PortalAppFactory portal)
    {
        var (slug, key) = await TenantAsync(portal);
        var (endpointId, _) = await CreateEndpointAsync(portal, key, "https://hooks.example.invalid/matrix", WebhookEventTypes.AuditEntry);
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = db.BeginCrossTenantScope("test arrangement");
        var tenantId = await db.Tenants.Where(t => t.Slug == slug).Select(t => t.Id).SingleAsync();
        var now = DateTimeOffset.UtcNow;
        var delivery = new WebhookDelivery
        {
            TenantId = tenantId, EndpointId = endpointId, EventId = WebhookEvent.NewId(), EventType = WebhookEventTypes.AuditEntry,
            Status = WebhookDeliveryStatus.Succeeded, Attempts = 1, LastResponseCode = 200, CreatedAt = now, LastAttemptAt = now,
        };
        db.WebhookEvents.Add(new WebhookEvent { Id = delivery.EventId, TenantId = tenantId, Type = delivery.EventType, Payload = "{}", OccurredAt = now, DispatchedAt = now });
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync();
        return (slug, endpointId, delivery.Id);
    }
}
