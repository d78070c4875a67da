using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;

using TenantPortal.Tests.Builders;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>Makes API keys for tests directly in the portal's database.</summary>
public static class ApiKeys
{
    /// <summary>A new live key for the tenant with the given scopes; returns its secret.</summary>
    public static Task<string> CreateAsync(WebApplicationFactory<Program> portal, string slug, params string[] scopes) =>
        CreateByAsync(portal, slug, null, scopes);

    /// <summary>A new live key for the tenant with the given scopes, created by the user with that email (null: no user).</summary>
    public static async Task<string> CreateByAsync(WebApplicationFactory<Program> portal, string slug, string? creatorEmail, params string[] scopes)
    {
        var secret = "tp_live_" + SecretHasher.NewToken();
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        var tenant = await db.Tenants.SingleAsync(t => t.Slug == slug);
        var creator = creatorEmail is null ? "test" : await db.Users.Where(u => u.Email == creatorEmail).Select(u => u.Id).SingleAsync();
        db.ApiKeys.Add(new ApiKey
        {
            TenantId = tenant.Id, Name = "test", Prefix = secret[..ApiKey.PrefixLength], SecretHash = SecretHasher.Sha256Hex(secret),
            Scopes = string.Join(' ', scopes.Length == 0 ? ApiKeyScopes.All : scopes), CreatedAt = DateTimeOffset.UtcNow, CreatedByUserId = creator,
        });
        await db.SaveChangesAsync();
        return secret;
    }

    /// <summary>Revokes the key with this secret, as the portal does (the cache of this instance forgets it).</summary>
    public static async Task RevokeAsync(PortalAppFactory portal, string secret)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        var key = await db.ApiKeys.SingleAsync(k => k.Prefix == secret.Substring(0, ApiKey.PrefixLength));
        key.RevokedAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync();
        scope.ServiceProvider.GetRequiredService<TenantPortal.Data.Services.ApiKeys.ApiKeyCache>().Forget(key.Id);
    }

    /// <summary>The tenant's audit entries, newest first.</summary>
    public static async Task<IReadOnlyList<TenantPortal.Core.Audit.AuditEntry>> AuditAsync(PortalAppFactory portal, string slug)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test check");
        var tenantId = await db.Tenants.Where(t => t.Slug == slug).Select(t => t.Id).SingleAsync();
        var entries = await db.AuditEntries.Where(a => a.TenantId == tenantId).ToListAsync();
        return entries.OrderByDescending(a => a.OccurredAt).ThenByDescending(a => a.Id).ToList();
    }

    /// <summary>
    /// A new tenant of its own (no members) with the given tier and status; returns its slug. Suspended is an operator's
    /// suspension of a subscriber; Active on a paid tier has no subscription.
    /// </summary>
    public static async Task<string> CreateTenantAsync(WebApplicationFactory<Program> portal, SubscriptionTier tier, TenantStatus status)
    {
        var slug = $"t-{Guid.NewGuid():N}"[..20];
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        // Reached through the tenant's transitions; an Active paid tier is one without a subscription (an operator's grant),
        // so that choosing a plan through the API subscribes.
        var now = DateTimeOffset.UtcNow;
        db.Tenants.Add(new TenantBuilder().WithName(slug).WithSlug(slug).OnPlan(tier).WithStatus(status).CreatedAt(now).At(now)
            .Unsubscribed().Build());
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
