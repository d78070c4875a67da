using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>Makes API keys for tests directly in the portal's database.</summary>
public static class ApiKeys
{
    /// <summary>A new live key for the tenant with the given scopes; returns its secret.</summary>
    public static async Task<string> CreateAsync(PortalAppFactory portal, string slug, params string[] scopes)
    {
        var secret = "tp_live_" + SecretHasher.NewToken();
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        var tenant = await db.Tenants.SingleAsync(t => t.Slug == slug);
        db.ApiKeys.Add(new ApiKey
        {
            TenantId = tenant.Id, Name = "test", Prefix = secret[..ApiKey.PrefixLength], SecretHash = SecretHasher.Sha256Hex(secret),
            Scopes = string.Join(' ', scopes.Length == 0 ? ApiKeyScopes.All : scopes), CreatedAt = DateTimeOffset.UtcNow, CreatedByUserId = "test",
        });
        await db.SaveChangesAsync();
        return secret;
    }

    /// <summary>A new tenant of its own (no members) with the given tier and status; returns its slug.</summary>
    public static async Task<string> CreateTenantAsync(PortalAppFactory portal, SubscriptionTier tier, TenantStatus status)
    {
        var slug = $"t-{Guid.NewGuid():N}"[..20];
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        db.Tenants.Add(new Tenant { Name = slug, Slug = slug, Tier = tier, Status = status, CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        return slug;
    }

    /// <summary>A client of the running portal that sends the key.</summary>
    public static HttpClient ClientFor(PortalAppFactory portal, string secret)
    {
        var client = portal.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    /// <summary>How many events with ids starting with the prefix the tenant has stored.</summary>
    public static async Task<int> StoredEventsAsync(PortalAppFactory portal, string slug, string idPrefix)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test check");
        return await db.UsageEvents.CountAsync(e => e.ClientEventId.StartsWith(idPrefix) && db.Tenants.Any(t => t.Id == e.TenantId && t.Slug == slug));
    }
}
