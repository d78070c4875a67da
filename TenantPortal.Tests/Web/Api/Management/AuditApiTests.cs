using System.Net;
using System.Text;
using System.Text.Json;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Tenants;
using TenantPortal.Tests.Infrastructure;
using static TenantPortal.Tests.Infrastructure.ApiResponses;

namespace TenantPortal.Tests.Web.Api.Management;

[Collection(PortalCollection.Name)]
public class AuditApiTests(PortalAppFactory portal)
{

    // A throwaway tenant renamed n times through the API, so its log holds n tenant.updated entries by the key.
    private async Task<(string Slug, HttpClient Client, string Secret)> TenantWithRenamesAsync(int renames)
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, SubscriptionTier.Starter, TenantStatus.Active);
        var secret = await ApiKeys.CreateAsync(portal, slug, ApiKeyScopes.TenantWrite, ApiKeyScopes.AuditRead);
        var client = ApiKeys.ClientFor(portal, secret);
        for (var i = 1; i <= renames; i++)
        {
            var response = await client.PatchAsync("/api/v1/tenant", new StringContent($"{{\"name\":\"Renamed {i}\"}}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        return (slug, client, secret);
    }

    [Fact]
    public async Task List_WalksEveryEntryOnce_NewestFirst_PageByPage()
    {
        var (_, client, secret) = await TenantWithRenamesAsync(5);
        using var _c = client;

        var ids = new List<long>();
        var details = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await BodyAsync(await client.GetAsync("/api/v1/audit?limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))));
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                ids.Add(item.GetProperty("id").GetInt64());
                details.Add(item.GetProperty("details").GetString()!);
                Assert.Contains(secret[..ApiKey.PrefixLength], item.GetProperty("actor").GetString());
            }
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(5, ids.Count);
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.Equal(ids.OrderByDescending(i => i), ids);
        Assert.Equal(3, pages);
        Assert.Contains("Renamed 5", details[0]);
    }

    [Fact]
    public async Task List_FiltersByActionAndTime()
    {
        var (_, client, _) = await TenantWithRenamesAsync(2);
        using var _c = client;

        var matching = await BodyAsync(await client.GetAsync("/api/v1/audit?action=tenant."));
        var other = await BodyAsync(await client.GetAsync("/api/v1/audit?action=member."));
        var future = await BodyAsync(await client.GetAsync("/api/v1/audit?from=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))));

        Assert.Equal(2, matching.GetProperty("items").GetArrayLength());
        Assert.Equal(0, other.GetProperty("items").GetArrayLength());
        Assert.Equal(0, future.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("cursor=bm90LWEtY3Vyc29y", "cursor")]
    [InlineData("cursor=%%%", "cursor")]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "to")]
    public async Task List_WithBadParameters_IsAProblemNamingIt(string query, string field)
    {
        using var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, "acme", ApiKeyScopes.AuditRead));

        var response = await client.GetAsync("/api/v1/audit?" + query);

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "invalid", field);
    }

    [Fact]
    public async Task List_WithoutAuditRead_Is403MissingScope()
    {
        using var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, "acme", ApiKeyScopes.All.Where(s => s != ApiKeyScopes.AuditRead).ToArray()));

        var response = await client.GetAsync("/api/v1/audit");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("missing_scope", (await BodyAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task List_ShowsOnlyTheKeysTenant()
    {
        var (slug, client, _) = await TenantWithRenamesAsync(1);
        using var _c = client;
        using var acme = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, "acme", ApiKeyScopes.AuditRead));

        var acmeLog = await acme.GetStringAsync("/api/v1/audit?limit=100");

        Assert.DoesNotContain(slug, acmeLog);
        Assert.DoesNotContain("Renamed 1", acmeLog);
    }
}
