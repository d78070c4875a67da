using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Data.Identity;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Entitlements;
using TenantPortal.Tests.Infrastructure;
using static TenantPortal.Tests.Infrastructure.ApiResponses;

namespace TenantPortal.Tests.Web.Api.Management;

/// <summary>
/// <c>GET /api/v1/entitlements</c> and <c>/{feature}</c>: any key of the tenant; the JSON of the contract; an ETag with
/// If-None-Match → 304 until something changes; 404 naming an unknown feature; an operator's override shown at once
/// (the portal's own save invalidates its cache).
/// </summary>
[Collection(PortalCollection.Name)]
public class EntitlementsApiTests(PortalAppFactory portal)
{
    private async Task<(string Slug, HttpClient Client)> ThrowawayAsync(SubscriptionTier tier)
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, tier, TenantStatus.Active);
        return (slug, ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, slug, ApiKeyScopes.UsageWrite)));
    }

    private async Task<Result> OverrideAsync(string slug, EntitlementOverrideRequest request, string? remove = null)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var op = await users.FindByEmailAsync(PortalAppFactory.OperatorEmail);
        var actor = new Actor(op!.Id, PortalAppFactory.OperatorEmail);
        Guid tenantId;
        await using (var db = scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext())
        using (db.BeginCrossTenantScope("test arrangement"))
            tenantId = await db.Tenants.Where(t => t.Slug == slug).Select(t => t.Id).SingleAsync();
        var overrides = scope.ServiceProvider.GetRequiredService<EntitlementOverrideService>();
        return remove is null
            ? await overrides.SetAsync(actor, tenantId, request, "API test", CancellationToken.None)
            : await overrides.RemoveAsync(actor, tenantId, remove, "API test", CancellationToken.None);
    }

    private sealed record Result(bool IsSuccess, string? Error)
    {
        public static implicit operator Result(TenantPortal.Core.Common.Result r) => new(r.IsSuccess, r.Error?.Message);
    }

    [Fact]
    public async Task List_GivesEveryFeatureOfThePlan_InTheContractsShape()
    {
        var (_, client) = await ThrowawayAsync(SubscriptionTier.Starter);

        var response = await client.GetAsync("/api/v1/entitlements");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = (await BodyAsync(response)).GetProperty("entitlements").EnumerateArray().ToList();
        Assert.Equal(["sso", "scim", "webhooks", "audit_export", "max_api_keys", "credits"], items.Select(i => i.GetProperty("feature").GetString()));
        var sso = items[0];
        Assert.Equal("""{"feature":"sso","enabled":false,"value":null,"source":"plan","expiresAt":null}""", sso.GetRawText());
        Assert.Equal("""{"feature":"max_api_keys","enabled":true,"value":5,"source":"plan","expiresAt":null}""", items[4].GetRawText());
        Assert.True(items[5].GetProperty("enabled").GetBoolean());
        Assert.NotNull(response.Headers.ETag);
    }

    [Fact]
    public async Task Get_OneFeature_AndAnOverride_ShowsAtOnce_WithItsExpiry_AndANewETag()
    {
        var (slug, client) = await ThrowawayAsync(SubscriptionTier.Professional);
        var before = await client.GetAsync("/api/v1/entitlements/max_api_keys");
        Assert.Equal("""{"feature":"max_api_keys","enabled":true,"value":25,"source":"plan","expiresAt":null}""", (await BodyAsync(before)).GetRawText());

        var end = new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.True((await OverrideAsync(slug, new("max_api_keys", true, 60, end))).IsSuccess);
        var after = await client.GetAsync("/api/v1/entitlements/max_api_keys");

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("""{"feature":"max_api_keys","enabled":true,"value":60,"source":"override","expiresAt":"2099-01-01T00:00:00+00:00"}""",
            (await BodyAsync(after)).GetRawText());
        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
    }

    [Fact]
    public async Task IfNoneMatch_WithTheCurrentETag_Is304_UntilAnOverrideChangesTheList()
    {
        var (slug, client) = await ThrowawayAsync(SubscriptionTier.Free);
        var first = await client.GetAsync("/api/v1/entitlements");
        var etag = first.Headers.ETag!.ToString();

        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/v1/entitlements");
        again.Headers.TryAddWithoutValidation("If-None-Match", etag);
        var notModified = await client.SendAsync(again);
        Assert.True((await OverrideAsync(slug, new("webhooks", true, null, null))).IsSuccess);
        using var afterChange = new HttpRequestMessage(HttpMethod.Get, "/api/v1/entitlements");
        afterChange.Headers.TryAddWithoutValidation("If-None-Match", etag);
        var changed = await client.SendAsync(afterChange);

        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(etag, notModified.Headers.ETag?.ToString());
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var webhooks = (await BodyAsync(changed)).GetProperty("entitlements").EnumerateArray().Single(i => i.GetProperty("feature").GetString() == "webhooks");
        Assert.Equal(("override", true), (webhooks.GetProperty("source").GetString(), webhooks.GetProperty("enabled").GetBoolean()));
        Assert.NotEqual(etag, changed.Headers.ETag?.ToString());
    }

    [Fact]
    public async Task RemovingTheOverride_BringsThePlansValueBack()
    {
        var (slug, client) = await ThrowawayAsync(SubscriptionTier.Starter);
        Assert.True((await OverrideAsync(slug, new("sso", true, null, null))).IsSuccess);
        Assert.True((await BodyAsync(await client.GetAsync("/api/v1/entitlements/sso"))).GetProperty("enabled").GetBoolean());

        Assert.True((await OverrideAsync(slug, new("sso", false, null, null), remove: "sso")).IsSuccess);

        Assert.Equal("""{"feature":"sso","enabled":false,"value":null,"source":"plan","expiresAt":null}""",
            (await BodyAsync(await client.GetAsync("/api/v1/entitlements/sso"))).GetRawText());
    }

    [Theory]
    [InlineData("saml", "'saml' is not a feature")]
    [InlineData("SSO", "'SSO' is not a feature")]
    public async Task Get_AnUnknownFeature_Is404_NamingIt(string feature, string expected)
    {
        var (_, client) = await ThrowawayAsync(SubscriptionTier.Starter);

        var response = await client.GetAsync($"/api/v1/entitlements/{feature}");

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "not_found", "feature");
        Assert.Contains(expected, (await BodyAsync(response)).GetProperty("detail").GetString());
    }
}
