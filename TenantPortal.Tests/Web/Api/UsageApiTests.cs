using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Api;

[Collection(PortalCollection.Name)]
public class UsageApiTests(PortalAppFactory portal)
{
    private static string Now(int minutesAgo = 1) => DateTimeOffset.UtcNow.AddMinutes(-minutesAgo).ToString("O");

    private static string Batch(params string[] events) => $"{{\"events\":[{string.Join(',', events)}]}}";

    private static string Event(string id, string metric = "api_calls", string quantity = "1", string? timestamp = null) =>
        $"{{\"id\":\"{id}\",\"metric\":\"{metric}\",\"quantity\":{quantity},\"timestamp\":\"{timestamp ?? Now()}\"}}";

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string body) =>
        await client.PostAsync("/api/v1/usage", new StringContent(body, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Post_Answers202_WithAcceptedAndDuplicates_OnceStored()
    {
        var prefix = $"ok-{Guid.NewGuid():N}-";
        using var client = ApiKeys.ClientFor(portal, PortalAppFactory.DemoApiKey);

        var first = await PostAsync(client, Batch(Event(prefix + 1), Event(prefix + 2, "gpu_hours", "1.5"), Event(prefix + 1)));
        var again = await PostAsync(client, Batch(Event(prefix + 2, "gpu_hours", "1.5"), Event(prefix + 3, "storage_gb", "12.25")));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("{\"accepted\":2,\"duplicates\":1}", await first.Content.ReadAsStringAsync());
        Assert.Equal("{\"accepted\":1,\"duplicates\":1}", await again.Content.ReadAsStringAsync());
        Assert.Equal(3, await ApiKeys.StoredEventsAsync(portal, "acme", prefix));
    }

    public static TheoryData<string, string, int, string> BadBatches()
    {
        // Placeholders: times are taken when the case runs, not when the cases are listed.
        const string old = "{OLD}";
        const string future = "{FUTURE}";
        return new()
        {
            { "unknown metric", Batch(Event("P"), Event("P2", metric: "bananas")), 422, "events[1].metric" },
            { "negative", Batch(Event("P"), Event("P2", quantity: "-1")), 422, "events[1].quantity" },
            { "NaN", Batch(Event("P"), Event("P2", quantity: "NaN")), 400, "body" },
            { "Infinity", Batch(Event("P"), Event("P2", quantity: "Infinity")), 400, "body" },
            { "huge number", Batch(Event("P"), Event("P2", quantity: "1e400")), 422, "events[1].quantity" },
            { "beyond the column", Batch(Event("P"), Event("P2", quantity: "1000000000000.5")), 422, "events[1].quantity" },
            { "too old", Batch(Event("P"), Event("P2", timestamp: old)), 422, "events[1].timestamp" },
            { "future", Batch(Event("P"), Event("P2", timestamp: future)), 422, "events[1].timestamp" },
            { "no events", "{\"events\":[]}", 422, "events" },
            { "malformed JSON", "{\"events\":[{\"id\":\"P\",", 400, "body" },
            { "not an object", "[1,2,3]", 400, "events" },
            { "missing id", Batch(Event("P"), "{\"metric\":\"api_calls\",\"quantity\":1,\"timestamp\":\"" + Now() + "\"}"), 400, "events[1].id" },
            { "missing quantity", Batch(Event("P"), "{\"id\":\"P2\",\"metric\":\"api_calls\",\"timestamp\":\"" + Now() + "\"}"), 400, "events[1].quantity" },
            { "quantity as text", Batch(Event("P"), Event("P2", quantity: "\"5\"")), 400, "events[1].quantity" },
            { "id as number", Batch(Event("P"), "{\"id\":7,\"metric\":\"api_calls\",\"quantity\":1,\"timestamp\":\"" + Now() + "\"}"), 400, "events[1].id" },
            { "bad timestamp", Batch(Event("P"), Event("P2", timestamp: "yesterday")), 400, "events[1].timestamp" },
            { "seats reported", Batch(Event("P"), Event("P2", metric: "users")), 422, "events[1].metric" },
            { "id with a trailing space", Batch(Event("P"), Event("P2 ")), 422, "events[1].id" },
            { "id with a leading space", Batch(Event("P"), Event(" P2")), 422, "events[1].id" },
            { "seven decimals", Batch(Event("P"), Event("P2", quantity: "0.0000001")), 422, "events[1].quantity" },
        };
    }

    [Theory]
    [MemberData(nameof(BadBatches))]
    public async Task Post_RefusesABadBatch_WithAProblemNamingTheEvent_AndStoresNothing(string why, string body, int status, string field)
    {
        var prefix = $"bad-{Guid.NewGuid():N}-";
        using var client = ApiKeys.ClientFor(portal, PortalAppFactory.DemoApiKey);

        body = body.Replace("{OLD}", DateTimeOffset.UtcNow.AddDays(-35).AddMinutes(-1).ToString("O"))
            .Replace("{FUTURE}", DateTimeOffset.UtcNow.AddMinutes(6).ToString("O"));
        var response = await PostAsync(client, body.Replace("\"P", "\"" + prefix));

        Assert.True(status == (int)response.StatusCode, $"{why}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"{why}: no error for {field}");
        Assert.Equal(0, await ApiKeys.StoredEventsAsync(portal, "acme", prefix));
    }

    [Fact]
    public async Task Post_RefusesMoreThanAThousandEvents_With413()
    {
        var prefix = $"big-{Guid.NewGuid():N}-";
        using var client = ApiKeys.ClientFor(portal, PortalAppFactory.DemoApiKey);

        var response = await PostAsync(client, Batch(Enumerable.Range(0, 1_001).Select(i => Event(prefix + i)).ToArray()));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await ApiKeys.StoredEventsAsync(portal, "acme", prefix));
    }

    [Fact]
    public async Task Post_AcceptsAThousandEvents()
    {
        var prefix = $"full-{Guid.NewGuid():N}-";
        using var client = ApiKeys.ClientFor(portal, PortalAppFactory.DemoApiKey);

        var response = await PostAsync(client, Batch(Enumerable.Range(0, 1_000).Select(i => Event(prefix + i)).ToArray()));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1_000, await ApiKeys.StoredEventsAsync(portal, "acme", prefix));
    }

    [Fact]
    public async Task AKeyOfOneTenant_CanNeverWriteToAnother()
    {
        var prefix = $"cross-{Guid.NewGuid():N}-";
        using var client = ApiKeys.ClientFor(portal, PortalAppFactory.DemoApiKey);
        client.DefaultRequestHeaders.Add("X-Tenant", "initech");
        var body = $"{{\"tenant\":\"initech\",\"tenantId\":\"initech\",\"events\":[{Event(prefix + 1)}]}}";

        var response = await client.PostAsync("/api/v1/usage?tenant=initech", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, await ApiKeys.StoredEventsAsync(portal, "acme", prefix));
        Assert.Equal(0, await ApiKeys.StoredEventsAsync(portal, "initech", prefix));
    }

    [Fact]
    public async Task Post_IsForbidden_ToAKeyWithoutTheUsageWriteScope()
    {
        var secret = await ApiKeys.CreateAsync(portal, "globex", ApiKeyScopes.UsageRead);
        using var client = ApiKeys.ClientFor(portal, secret);

        var response = await PostAsync(client, Batch(Event($"scope-{Guid.NewGuid():N}")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Post_StoresASuspendedTenantsUsage_Too()
    {
        // Usage is never dropped: the portal records it whatever the tenant's status; quota checks deny separately.
        var slug = await ApiKeys.CreateTenantAsync(portal, TenantPortal.Core.Tenants.SubscriptionTier.Starter, TenantPortal.Core.Tenants.TenantStatus.Suspended);
        using var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, slug));
        var prefix = $"susp-{Guid.NewGuid():N}-";

        var response = await PostAsync(client, Batch(Event(prefix + 1)));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, await ApiKeys.StoredEventsAsync(portal, slug, prefix));
    }
}
