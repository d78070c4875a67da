using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Tenants;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Api.Management;

/// <summary>
/// <c>/api/v1/usage/corrections</c> on the running portal: a correction changes the current usage and the quota check at
/// once and exactly, a retry returns the first result, a revert restores the figures; concurrent corrections of one event:
/// one 201, one 409; bad input is a 422 problem naming the field.
/// </summary>
[Collection(PortalCollection.Name)]
public class UsageCorrectionsApiTests(PortalAppFactory portal)
{
    private static readonly string Now = DateTimeOffset.UtcNow.AddMinutes(-10).ToString("O", CultureInfo.InvariantCulture);

    // A throwaway tenant with three events (api_calls 1000 and 250, gpu_hours 7.25) and a key with the usage scopes.
    private async Task<HttpClient> TenantWithEventsAsync(string prefix)
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, SubscriptionTier.Starter, TenantStatus.Active);
        var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, slug, ApiKeyScopes.UsageWrite, ApiKeyScopes.UsageRead));
        var ingest = await client.PostAsync("/api/v1/usage", Json("{\"events\":["
            + $"{{\"id\":\"{prefix}16\",\"metric\":\"api_calls\",\"quantity\":1000,\"timestamp\":\"{Now}\"}},"
            + $"{{\"id\":\"{prefix}17\",\"metric\":\"api_calls\",\"quantity\":250,\"timestamp\":\"{Now}\"}},"
            + $"{{\"id\":\"{prefix}18\",\"metric\":\"gpu_hours\",\"quantity\":7.25,\"timestamp\":\"{Now}\"}}]}}"));
        Assert.Equal(HttpStatusCode.Accepted, ingest.StatusCode);
        return client;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<(decimal Api, decimal Gpu)> CurrentAsync(HttpClient client)
    {
        using var current = JsonDocument.Parse(await client.GetStringAsync("/api/v1/usage/current"));
        var metrics = current.RootElement.GetProperty("metrics").EnumerateArray().ToDictionary(m => m.GetProperty("metric").GetString()!, m => m.GetProperty("used").GetDecimal());
        var check = await client.PostAsync("/api/v1/quota/check", Json("{\"metric\":\"api_calls\",\"amount\":0}"));
        using var decision = JsonDocument.Parse(await check.Content.ReadAsStringAsync());
        Assert.Equal(metrics["api_calls"], decision.RootElement.GetProperty("used").GetDecimal());
        return (metrics["api_calls"], metrics["gpu_hours"]);
    }

    private static string VoidAndAmend(string id, string prefix) =>
        $"{{\"id\":\"{id}\",\"reason\":\"Duplicate job reports\",\"events\":[{{\"eventId\":\"{prefix}17\",\"action\":\"void\"}},{{\"eventId\":\"{prefix}18\",\"action\":\"amend\",\"quantity\":3}}]}}";

    [Fact]
    public async Task Post_ChangesUsageAtOnce_ARetryReturnsTheFirstResult_AndDeleteRevertsIt()
    {
        using var client = await TenantWithEventsAsync("e-");
        Assert.Equal((1_250m, 7.25m), await CurrentAsync(client));

        var created = await UsageCorrectionsApi.PostAsync(client, VoidAndAmend("fix/1".Replace("/", "-"), "e-"));
        var createdBody = await created.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/v1/usage/corrections/fix-1", created.Headers.Location!.ToString());
        using (var json = JsonDocument.Parse(createdBody))
        {
            var root = json.RootElement;
            Assert.Equal("fix-1", root.GetProperty("id").GetString());
            Assert.Equal("Duplicate job reports", root.GetProperty("reason").GetString());
            Assert.Equal(JsonValueKind.Null, root.GetProperty("revertedAt").ValueKind);
            Assert.StartsWith("API key", root.GetProperty("createdBy").GetString());
            var events = root.GetProperty("events").EnumerateArray().ToList();
            Assert.Equal(["void", "amend"], events.Select(e => e.GetProperty("action").GetString()));
            Assert.Equal(["api_calls", "gpu_hours"], events.Select(e => e.GetProperty("metric").GetString()));
            Assert.Equal([-250m, -4.25m], events.Select(e => e.GetProperty("delta").GetDecimal()));
            Assert.Equal([250m, 7.25m], events.Select(e => e.GetProperty("quantityBefore").GetDecimal()));
            Assert.Equal([0m, 3m], events.Select(e => e.GetProperty("quantityAfter").GetDecimal()));
        }
        Assert.Equal((1_000m, 3m), await CurrentAsync(client));

        var retry = await UsageCorrectionsApi.PostAsync(client, VoidAndAmend("fix-1", "e-"));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(createdBody, await retry.Content.ReadAsStringAsync());
        Assert.Equal((1_000m, 3m), await CurrentAsync(client));
        var reused = await UsageCorrectionsApi.PostAsync(client, VoidAndAmend("fix-1", "e-").Replace("Duplicate", "Other"));
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        Assert.Contains("\"id\"", await reused.Content.ReadAsStringAsync());

        Assert.Equal(createdBody, await client.GetStringAsync("/api/v1/usage/corrections/fix-1"));
        using (var list = JsonDocument.Parse(await client.GetStringAsync("/api/v1/usage/corrections?limit=1")))
            Assert.Equal("fix-1", list.RootElement.GetProperty("items")[0].GetProperty("id").GetString());

        var reverted = await client.DeleteAsync("/api/v1/usage/corrections/fix-1?reason=wrong%20job");
        Assert.Equal(HttpStatusCode.OK, reverted.StatusCode);
        using (var json = JsonDocument.Parse(await reverted.Content.ReadAsStringAsync()))
        {
            Assert.NotEqual(JsonValueKind.Null, json.RootElement.GetProperty("revertedAt").ValueKind);
            Assert.Equal("wrong job", json.RootElement.GetProperty("revertReason").GetString());
        }
        Assert.Equal((1_250m, 7.25m), await CurrentAsync(client));
        Assert.Equal(HttpStatusCode.Conflict, (await client.DeleteAsync("/api/v1/usage/corrections/fix-1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("/api/v1/usage/corrections/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/usage/corrections/nope")).StatusCode);
    }

    [Fact]
    public async Task Post_TwoCorrectionsOfOneEventConcurrently_OneIs201_TheOther409_AndUsageChangesOnce()
    {
        using var client = await TenantWithEventsAsync("c-");

        var responses = await Task.WhenAll(
            UsageCorrectionsApi.PostAsync(client, "{\"id\":\"a\",\"reason\":\"r\",\"events\":[{\"eventId\":\"c-17\",\"action\":\"void\"}]}"),
            UsageCorrectionsApi.PostAsync(client, "{\"id\":\"b\",\"reason\":\"r\",\"events\":[{\"eventId\":\"c-17\",\"action\":\"amend\",\"quantity\":100}]}"));

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        var loser = responses.Single(r => r.StatusCode == HttpStatusCode.Conflict);
        Assert.Contains("events[0].eventId", await loser.Content.ReadAsStringAsync());
        var expected = responses[0].StatusCode == HttpStatusCode.Created ? 1_000m : 1_100m;
        Assert.Equal(expected, (await CurrentAsync(client)).Api);
    }

    [Theory]
    [InlineData("{\"id\":\"x\",\"reason\":\"r\",\"events\":[{\"eventId\":\"v-404\",\"action\":\"void\"}]}", 422, "events[0].eventId")]
    [InlineData("{\"id\":\"x\",\"reason\":\"r\",\"events\":[{\"eventId\":\"v-17\",\"action\":\"amend\",\"quantity\":-1}]}", 422, "events[0].quantity")]
    [InlineData("{\"id\":\"x\",\"reason\":\"r\",\"events\":[{\"eventId\":\"v-17\",\"action\":\"amend\",\"quantity\":1e999}]}", 422, "events[0].quantity")]
    [InlineData("{\"id\":\"x\",\"reason\":\"r\",\"events\":[{\"eventId\":\"v-17\",\"action\":\"amend\",\"quantity\":\"3\"}]}", 422, "events[0].quantity")]
    [InlineData("{\"id\":\"x\",\"reason\":\"r\",\"events\":[{\"eventId\":\"v-17\",\"action\":\"void\"},{\"eventId\":\"v-17\",\"action\":\"void\"}]}", 422, "events[1].eventId")]
    [InlineData("{\"id\":\"x\",\"reason\":\"r\",\"events\":[{\"eventId\":\"v-17\",\"action\":\"delete\"}]}", 422, "events[0].action")]
    [InlineData("{\"id\":\"x\",\"reason\":\"r\",\"events\":[{\"eventId\":\"v-17\",\"action\":\"void\",\"note\":1}]}", 422, "events[0].note")]
    [InlineData("{\"id\":\"x\",\"reason\":\"r\",\"events\":[]}", 422, "events")]
    [InlineData("{\"id\":\"x\",\"reason\":\"\",\"events\":[{\"eventId\":\"v-17\",\"action\":\"void\"}]}", 422, "reason")]
    [InlineData("{\"id\":\"x\",\"events\":[{\"eventId\":\"v-17\",\"action\":\"void\"}]}", 422, "reason")]
    [InlineData("{\"reason\":\"r\",\"events\":[{\"eventId\":\"v-17\",\"action\":\"void\"}]}", 422, "id")]
    [InlineData("{\"id\":\"x\",\"reason\":\"r\",\"events\":[{\"eventId\":\"v-17\",\"action\":\"void\"}],\"extra\":true}", 422, "extra")]
    [InlineData("{\"id\":\"x\",\"reason\":\"r\",\"events\":[{\"eventId\":\"v-17\",\"action\":\"void\"}]", 400, "body")]
    public async Task Post_RefusesBadInput_WithAProblemNamingTheField_AndChangesNothing(string body, int status, string field)
    {
        using var client = await TenantWithEventsAsync("v-");

        var response = await UsageCorrectionsApi.PostAsync(client, body);

        Assert.Equal(status, (int)response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), problem.RootElement.ToString());
        Assert.Equal((1_250m, 7.25m), await CurrentAsync(client));
        using var list = JsonDocument.Parse(await client.GetStringAsync("/api/v1/usage/corrections"));
        Assert.Equal(0, list.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Post_AnotherTenantsEventId_GetsTheAnswerOfAnUnknownOne()
    {
        using var other = await TenantWithEventsAsync("o-");
        using var client = await TenantWithEventsAsync("m-");

        var foreign = await UsageCorrectionsApi.PostAsync(client, "{\"id\":\"x\",\"reason\":\"r\",\"events\":[{\"eventId\":\"o-17\",\"action\":\"void\"}]}");
        var unknown = await UsageCorrectionsApi.PostAsync(client, "{\"id\":\"x\",\"reason\":\"r\",\"events\":[{\"eventId\":\"o-99\",\"action\":\"void\"}]}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, foreign.StatusCode);
        using var foreignBody = JsonDocument.Parse(await foreign.Content.ReadAsStringAsync());
        using var unknownBody = JsonDocument.Parse(await unknown.Content.ReadAsStringAsync());
        Assert.Equal(unknownBody.RootElement.GetProperty("errors").ToString().Replace("o-99", "o-17"), foreignBody.RootElement.GetProperty("errors").ToString());
        Assert.Equal(unknownBody.RootElement.GetProperty("code").ToString(), foreignBody.RootElement.GetProperty("code").ToString());
        Assert.Equal((1_250m, 7.25m), await CurrentAsync(other));
    }

    [Fact]
    public async Task Ingest_RefusesAnEventIdWithTheReservedPrefix()
    {
        using var client = await TenantWithEventsAsync("r-");

        var response = await client.PostAsync("/api/v1/usage", Json($"{{\"events\":[{{\"id\":\"~c1:1\",\"metric\":\"api_calls\",\"quantity\":1,\"timestamp\":\"{Now}\"}}]}}"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("events[0].id", await response.Content.ReadAsStringAsync());
    }
}
