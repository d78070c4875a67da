using System.Net;
using System.Text;
using System.Text.Json;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Audit.Export;
using TenantPortal.Tests.Data.Audit;
using TenantPortal.Tests.Infrastructure;
using static TenantPortal.Tests.Infrastructure.ApiResponses;

namespace TenantPortal.Tests.Web.Api.Management;

/// <summary><c>GET /api/v1/audit?format=csv|json</c>: the export of the key's tenant, streamed as an attachment.</summary>
[Collection(PortalCollection.Name)]
public class AuditExportApiTests(PortalAppFactory portal)
{
    // A throwaway tenant on the plan, renamed n times through the API, and a client with tenant:write and audit:read.
    private async Task<(string Slug, HttpClient Client)> TenantWithRenamesAsync(SubscriptionTier tier, int renames)
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, tier, TenantStatus.Active);
        var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, slug, ApiKeyScopes.TenantWrite, ApiKeyScopes.AuditRead));
        for (var i = 1; i <= renames; i++)
        {
            var response = await client.PatchAsync("/api/v1/tenant", new StringContent($"{{\"name\":\"Renamed {i}\"}}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        return (slug, client);
    }

    [Fact]
    public async Task Export_Csv_StreamsTheTenantsLog_OldestFirst_AsAnAttachment()
    {
        var (slug, client) = await TenantWithRenamesAsync(SubscriptionTier.Professional, 3);
        using var _c = client;

        var response = await client.GetAsync("/api/v1/audit?format=csv&from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"attachment; filename=\"{slug}-audit-2000-01-01-2100-01-01.csv\"", response.Content.Headers.GetValues("Content-Disposition").Single());
        var records = AuditExportServiceTests.CsvRecords(await response.Content.ReadAsStringAsync());
        Assert.Equal(AuditCsvWriter.Header, string.Join(',', records[0]));
        var renames = records.Skip(1).Where(r => r[4] == AuditActions.TenantUpdated).Select(r => r[6]).ToList();
        Assert.Equal(3, renames.Count);
        Assert.Contains("Renamed 1", renames[0]);
        Assert.Contains("Renamed 3", renames[2]);
        Assert.Equal(records.Skip(1).Select(r => long.Parse(r[0])).Order(), records.Skip(1).Select(r => long.Parse(r[0])));
    }

    [Fact]
    public async Task Export_Json_IsAnArrayOfTheListsItems_AndTheExportIsAudited()
    {
        var (_, client) = await TenantWithRenamesAsync(SubscriptionTier.Enterprise, 2);
        using var _c = client;

        var response = await client.GetAsync("/api/v1/audit?format=json&action=tenant.");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var exported = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var items = exported.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        var listed = (await BodyAsync(await client.GetAsync("/api/v1/audit?action=tenant.updated"))).GetProperty("items").EnumerateArray().Reverse().ToList();
        Assert.Equal(listed.Select(i => i.GetRawText()), items.Select(i => JsonSerializer.Serialize(i)), new JsonTextComparer());
        var newest = (await BodyAsync(await client.GetAsync("/api/v1/audit?limit=1"))).GetProperty("items")[0];
        Assert.Equal(AuditActions.AuditExported, newest.GetProperty("action").GetString());
        Assert.Contains("json", newest.GetProperty("details").GetString());
    }

    [Fact]
    public async Task Export_IsRefused_WhenThePlanLeavesItOut_WhileTheListStaysAvailable()
    {
        var (_, client) = await TenantWithRenamesAsync(SubscriptionTier.Starter, 1);
        using var _c = client;

        var export = await client.GetAsync("/api/v1/audit?format=csv");
        var list = await client.GetAsync("/api/v1/audit");

        await AssertProblemAsync(export, HttpStatusCode.Forbidden, "feature_not_included", "feature");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Theory]
    [InlineData("format=xml", "format")]
    [InlineData("format=", "format")]
    [InlineData("format=csv&from=yesterday", "from")]
    [InlineData("format=json&to=soon", "to")]
    [InlineData("format=csv&from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "to")]
    [InlineData("format=csv&limit=5", "limit")]
    [InlineData("format=csv&cursor=abc", "cursor")]
    public async Task Export_WithBadParameters_IsAProblemNamingIt(string query, string field)
    {
        using var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, "acme", ApiKeyScopes.AuditRead));

        var response = await client.GetAsync("/api/v1/audit?" + query);

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "invalid", field);
    }

    [Fact]
    public async Task Export_WithoutAuditRead_Is403MissingScope()
    {
        using var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, "acme", ApiKeyScopes.All.Where(s => s != ApiKeyScopes.AuditRead).ToArray()));

        var response = await client.GetAsync("/api/v1/audit?format=csv");

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "missing_scope");
    }

    [Fact]
    public async Task Export_HoldsOnlyTheKeysTenant()
    {
        var (slug, client) = await TenantWithRenamesAsync(SubscriptionTier.Professional, 1);
        using var _c = client;
        using var acme = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, "acme", ApiKeyScopes.AuditRead));

        var acmeLog = await acme.GetStringAsync("/api/v1/audit?format=json");

        Assert.DoesNotContain(slug, acmeLog);
        Assert.DoesNotContain("Renamed 1", acmeLog);
        Assert.NotEmpty(JsonDocument.Parse(acmeLog).RootElement.EnumerateArray());
    }

    // Two JSON texts with the same values (the export may escape text differently from the API's serializer).
    private sealed class JsonTextComparer : IEqualityComparer<string>
    {
        public bool Equals(string? x, string? y) => JsonElement.DeepEquals(JsonDocument.Parse(x!).RootElement, JsonDocument.Parse(y!).RootElement);

        public int GetHashCode(string obj) => 0;
    }
}
