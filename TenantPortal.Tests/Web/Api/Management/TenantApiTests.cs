using System.Net;
using System.Text;
using System.Text.Json;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Tenants;
using TenantPortal.Tests.Infrastructure;
using static TenantPortal.Tests.Infrastructure.ApiResponses;

namespace TenantPortal.Tests.Web.Api.Management;

[Collection(PortalCollection.Name)]
public class TenantApiTests(PortalAppFactory portal)
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<(string Slug, HttpClient Client)> ThrowawayAsync(params string[] scopes)
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, SubscriptionTier.Starter, TenantStatus.Active);
        return (slug, ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, slug, scopes)));
    }

    private static async Task<HttpResponseMessage> PatchAsync(HttpClient client, string body, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/tenant") { Content = Json(body) };
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request);
    }


    [Fact]
    public async Task Get_ReturnsTheKeysOwnTenant_WithAnETag_ForAKeyOfAnyScope()
    {
        using var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, "acme", ApiKeyScopes.UsageWrite));

        var response = await client.GetAsync("/api/v1/tenant");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await BodyAsync(response);
        Assert.Equal("acme", body.GetProperty("slug").GetString());
        Assert.Equal("Professional", body.GetProperty("tier").GetString());
        Assert.Equal("Active", body.GetProperty("status").GetString());
        Assert.NotNull(response.Headers.ETag);
    }

    [Fact]
    public async Task Patch_ChangesOnlyTheSentFields_ClearsANull_AndAuditsTheKeyAndItsCreator()
    {
        var secret = await ApiKeys.CreateByAsync(portal, "globex", "owner@globex.test", ApiKeyScopes.TenantWrite);
        using var client = ApiKeys.ClientFor(portal, secret);
        var read = await client.GetAsync("/api/v1/tenant");
        var before = await BodyAsync(read);
        try
        {
            var response = await PatchAsync(client, "{\"billingEmail\":\"ap@globex.test\",\"customDomain\":null}");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var after = await BodyAsync(response);
            Assert.Equal(before.GetProperty("name").GetString(), after.GetProperty("name").GetString());
            Assert.Equal("ap@globex.test", after.GetProperty("billingEmail").GetString());
            Assert.Equal(JsonValueKind.Null, after.GetProperty("customDomain").ValueKind);
            Assert.NotEqual(read.Headers.ETag!.Tag, response.Headers.ETag!.Tag);
            var entry = (await ApiKeys.AuditAsync(portal, "globex")).First();
            Assert.Equal("tenant.updated", entry.Action);
            Assert.Contains($"API key test ({secret[..ApiKey.PrefixLength]}…)", entry.Actor);
            Assert.Contains("owner@globex.test", entry.Actor);
            Assert.NotNull(entry.ActorUserId);
        }
        finally
        {
            await PatchAsync(client, JsonSerializer.Serialize(new { billingEmail = before.GetProperty("billingEmail").GetString() }));
        }
    }

    [Fact]
    public async Task Patch_WithTheCurrentETag_Applies_AndWithAStaleOne_Is412_ChangingNothing()
    {
        var (_, client) = await ThrowawayAsync(ApiKeyScopes.TenantWrite);
        using var _c = client;
        var etag = (await client.GetAsync("/api/v1/tenant")).Headers.ETag!.Tag;

        var first = await PatchAsync(client, "{\"name\":\"First script\"}", etag);
        var second = await PatchAsync(client, "{\"name\":\"Second script\"}", etag);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, second.StatusCode);
        var problem = await BodyAsync(second);
        Assert.Equal("precondition_failed", problem.GetProperty("code").GetString());
        Assert.Equal("First script", (await BodyAsync(await client.GetAsync("/api/v1/tenant"))).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(client, "{\"name\":\"Third\"}", first.Headers.ETag!.Tag)).StatusCode);
    }

    [Theory]
    [InlineData("{\"nmae\":\"Typo\"}", 422, "nmae")]
    [InlineData("{\"name\":\"\"}", 422, "name")]
    [InlineData("{\"name\":null}", 422, "name")]
    [InlineData("{\"name\":42}", 422, "name")]
    [InlineData("{\"billingEmail\":\"not an email\"}", 422, "billingEmail")]
    [InlineData("{\"customDomain\":\"no spaces allowed.example\"}", 422, "customDomain")]
    [InlineData("{\"name\":", 400, "body")]
    [InlineData("[1,2]", 400, "body")]
    public async Task Patch_WithBadInput_IsAProblemNamingTheField_AndChangesNothing(string body, int status, string field)
    {
        var (slug, client) = await ThrowawayAsync(ApiKeyScopes.TenantWrite);
        using var _c = client;
        var before = await (await client.GetAsync("/api/v1/tenant")).Content.ReadAsStringAsync();

        var response = await PatchAsync(client, body);

        await AssertProblemAsync(response, (HttpStatusCode)status, null, field);
        Assert.Equal(before, await (await client.GetAsync("/api/v1/tenant")).Content.ReadAsStringAsync());
        Assert.DoesNotContain(await ApiKeys.AuditAsync(portal, slug), a => a.Action == "tenant.updated");
    }

    [Fact]
    public async Task Patch_WithoutTenantWrite_Is403MissingScope()
    {
        var (_, client) = await ThrowawayAsync(ApiKeyScopes.All.Where(s => s != ApiKeyScopes.TenantWrite).ToArray());
        using var _c = client;

        var response = await PatchAsync(client, "{\"name\":\"Nope\"}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("missing_scope", (await BodyAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task RevokedKey_Is401_OnReadAndWrite()
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, SubscriptionTier.Starter, TenantStatus.Active);
        var secret = await ApiKeys.CreateAsync(portal, slug, ApiKeyScopes.All.ToArray());
        using var client = ApiKeys.ClientFor(portal, secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/tenant")).StatusCode);

        await ApiKeys.RevokeAsync(portal, secret);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/tenant")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PatchAsync(client, "{\"name\":\"Revoked\"}")).StatusCode);
    }
}
