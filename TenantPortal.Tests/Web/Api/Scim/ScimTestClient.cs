using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Scim;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Api.Scim;

/// <summary>A throwaway team with a SCIM token made through the portal's own service, and a client that speaks SCIM with it.</summary>
public static class ScimTestClient
{
    /// <summary>A team on <paramref name="tier"/>, a token its admin created, and a client sending it.</summary>
    public sealed record Arranged(Teams.Team Team, Guid TenantId, string Token, HttpClient Client) : IDisposable
    {
        public void Dispose() => Client.Dispose();
    }

    public static async Task<Arranged> ArrangeAsync(PortalAppFactory portal, SubscriptionTier tier = SubscriptionTier.Professional)
    {
        var team = await Teams.CreateAsync(portal, tier);
        var tenantId = await TenantIdAsync(portal, team.Slug);
        var created = await InTenantAsync(portal, tenantId, sp => sp.GetRequiredService<ScimTokenService>()
            .CreateAsync(new Actor(team.Admin.Id, team.Admin.Email), "Okta", CancellationToken.None));
        Assert.True(created.IsSuccess, created.Error?.Message);
        return new Arranged(team, tenantId, created.Value.Secret, ClientWith(portal, created.Value.Secret));
    }

    public static HttpClient ClientWith(PortalAppFactory portal, string? token)
    {
        var client = portal.CreateBrowserLikeClient();
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Runs <paramref name="action"/> with the services of a scope working for the tenant.</summary>
    public static async Task<T> InTenantAsync<T>(PortalAppFactory portal, Guid tenantId, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(tenantId);
        return await action(scope.ServiceProvider);
    }

    public static async Task<Guid> TenantIdAsync(PortalAppFactory portal, string slug)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        return await db.Tenants.Where(t => t.Slug == slug).Select(t => t.Id).SingleAsync();
    }

    /// <summary>The membership of <paramref name="email"/> in the tenant as stored, or null.</summary>
    public static async Task<TenantMember?> MemberAsync(PortalAppFactory portal, Guid tenantId, string email)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test check");
        var normalized = email.ToUpperInvariant();
        return await db.Members.AsNoTracking()
            .Where(m => m.TenantId == tenantId && db.Users.Any(u => u.Id == m.UserId && u.NormalizedEmail == normalized)).SingleOrDefaultAsync();
    }

    /// <summary>The account's id by email.</summary>
    public static async Task<string> UserIdAsync(PortalAppFactory portal, string email)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var normalized = email.ToUpperInvariant();
        return await db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => u.Id).SingleAsync();
    }

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/scim+json");

    public static Task<HttpResponseMessage> PatchAsync(HttpClient client, string path, string body) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, path) { Content = Json(body) });

    public static async Task<JsonElement> BodyAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>Asserts a SCIM error: the status, the error schema, status as a string, and the scimType (null: none).</summary>
    public static async Task<JsonElement> AssertScimErrorAsync(HttpResponseMessage response, int status, string? scimType)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/scim+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", body.GetProperty("schemas")[0].GetString());
        Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), body.GetProperty("status").GetString());
        if (scimType is null)
            Assert.False(body.TryGetProperty("scimType", out _), text);
        else
            Assert.Equal(scimType, body.GetProperty("scimType").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("detail").GetString()));
        return body;
    }
}
