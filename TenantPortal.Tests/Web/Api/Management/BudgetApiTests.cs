using System.Net;
using System.Text;
using System.Text.Json;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Tenants;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Api.Management;

/// <summary>
/// <c>/api/v1/budget</c> on a Starter tenant of its own (100,000 API calls included, $0.001 each beyond): the "no budget"
/// shape, setting and removing with billing:write, strict bodies with 422s naming the field, and the quota check's 429
/// <c>budget_exceeded</c> at one cent past the budget.
/// </summary>
[Collection(PortalCollection.Name)]
public class BudgetApiTests(PortalAppFactory portal)
{
    private static Task<HttpResponseMessage> PutAsync(HttpClient client, string body) =>
        client.PutAsync("/api/v1/budget", new StringContent(body, Encoding.UTF8, "application/json"));

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string body) =>
        client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    private async Task<(string Slug, HttpClient Client)> StarterAsync(SubscriptionTier tier = SubscriptionTier.Starter)
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, tier, TenantStatus.Active);
        return (slug, ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, slug)));
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.Clone();
    }

    [Fact]
    public async Task Get_WithoutABudget_Is200WithNulls_AndTheOverageSoFar()
    {
        var (_, client) = await StarterAsync();

        var response = await client.GetAsync("/api/v1/budget");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = await JsonAsync(response);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("amountCents").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("action").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("percent").ValueKind);
        Assert.Equal(0, root.GetProperty("overageCents").GetInt64());
        Assert.Equal(0, root.GetProperty("alertsSent").GetArrayLength());
        Assert.True(root.GetProperty("available").GetBoolean());
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1), root.GetProperty("periodEnd").GetDateTimeOffset());
    }

    [Fact]
    public async Task PutThenCheck_RefusesOneCentPastABlockingBudget_With429BudgetExceeded()
    {
        var (slug, client) = await StarterAsync();
        var put = await PutAsync(client, """{"amountCents":100,"action":"block"}""");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var set = await JsonAsync(put);
        Assert.Equal((100L, "block"), (set.GetProperty("amountCents").GetInt64(), set.GetProperty("action").GetString()));
        var reported = await PostAsync(client, "/api/v1/usage",
            $$"""{"events":[{"id":"budget-1","metric":"api_calls","quantity":100990,"timestamp":"{{DateTimeOffset.UtcNow.AddSeconds(-5):O}}"}]}""");
        Assert.True(reported.IsSuccessStatusCode);

        var status = await JsonAsync(await client.GetAsync("/api/v1/budget"));
        var exact = await PostAsync(client, "/api/v1/quota/check", """{"metric":"api_calls","amount":14}""");
        var over = await PostAsync(client, "/api/v1/quota/check", """{"metric":"api_calls","amount":15}""");

        Assert.Equal((99L, 99m), (status.GetProperty("overageCents").GetInt64(), status.GetProperty("percent").GetDecimal()));
        Assert.Equal(HttpStatusCode.OK, exact.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        var body = await JsonAsync(over);
        Assert.Equal("budget_exceeded", body.GetProperty("reason").GetString());
        Assert.False(body.GetProperty("allowed").GetBoolean());
        Assert.Equal((100_990m, 100_000m), (body.GetProperty("used").GetDecimal(), body.GetProperty("limit").GetDecimal()));
        var reset = body.GetProperty("resetsAt").GetDateTimeOffset();
        Assert.InRange(over.Headers.RetryAfter!.Delta!.Value.TotalSeconds, (reset - DateTimeOffset.UtcNow).TotalSeconds - 60, (reset - DateTimeOffset.UtcNow).TotalSeconds + 60);
        var changed = Assert.Single(await ApiKeys.AuditAsync(portal, slug), a => a.Action == TenantPortal.Core.Audit.AuditActions.BudgetChanged);
        Assert.Equal("no budget → $1.00 (block)", changed.Details);
    }

    [Fact]
    public async Task Delete_RemovesTheBudget_AndChecksAreAllowedAgain()
    {
        var (slug, client) = await StarterAsync();
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(client, """{"amountCents":100,"action":"Block"}""")).StatusCode);
        await PostAsync(client, "/api/v1/usage",
            $$"""{"events":[{"id":"budget-2","metric":"api_calls","quantity":101010,"timestamp":"{{DateTimeOffset.UtcNow.AddSeconds(-5):O}}"}]}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await PostAsync(client, "/api/v1/quota/check", """{"metric":"api_calls","amount":1}""")).StatusCode);

        var deleted = await client.DeleteAsync("/api/v1/budget");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await JsonAsync(await client.GetAsync("/api/v1/budget"))).GetProperty("amountCents").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, "/api/v1/quota/check", """{"metric":"api_calls","amount":1}""")).StatusCode);
        Assert.Contains(await ApiKeys.AuditAsync(portal, slug), a => a.Details == "$1.00 (block) → no budget");
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/v1/budget")).StatusCode); // none to remove: still 204
    }

    [Theory]
    [InlineData("""{"amountCents":0,"action":"block"}""", "amountCents")]
    [InlineData("""{"amountCents":-5,"action":"block"}""", "amountCents")]
    [InlineData("""{"amountCents":100000001,"action":"block"}""", "amountCents")]
    [InlineData("""{"amountCents":1.5,"action":"block"}""", "amountCents")]
    [InlineData("""{"amountCents":"100","action":"block"}""", "amountCents")]
    [InlineData("""{"amountCents":null,"action":"block"}""", "amountCents")]
    [InlineData("""{"action":"block"}""", "amountCents")]
    [InlineData("""{"amountCents":100}""", "action")]
    [InlineData("""{"amountCents":100,"action":"stop"}""", "action")]
    [InlineData("""{"amountCents":100,"action":1}""", "action")]
    [InlineData("""{"amountCents":100,"action":"block","limit":5}""", "limit")]
    public async Task Put_RefusesBadInput_With422NamingTheField_AndChangesNothing(string body, string field)
    {
        var (slug, client) = await StarterAsync();

        var response = await PutAsync(client, body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True((await JsonAsync(response)).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(JsonValueKind.Null, (await JsonAsync(await client.GetAsync("/api/v1/budget"))).GetProperty("amountCents").ValueKind);
        Assert.DoesNotContain(await ApiKeys.AuditAsync(portal, slug), a => a.Action == TenantPortal.Core.Audit.AuditActions.BudgetChanged);
    }

    [Fact]
    public async Task Put_OnFree_Is409_BecauseFreeIsNeverBilledOverage()
    {
        var (_, client) = await StarterAsync(SubscriptionTier.Free);

        var response = await PutAsync(client, """{"amountCents":100,"action":"block"}""");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.False((await JsonAsync(await client.GetAsync("/api/v1/budget"))).GetProperty("available").GetBoolean());
    }

    [Fact]
    public async Task PutAndDelete_NeedBillingWrite_AndGetNeedsBillingRead()
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, SubscriptionTier.Starter, TenantStatus.Active);
        using var reader = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, slug, ApiKeyScopes.BillingRead));
        using var usageOnly = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, slug, ApiKeyScopes.UsageRead));

        var put = await PutAsync(reader, """{"amountCents":100,"action":"block"}""");
        var delete = await reader.DeleteAsync("/api/v1/budget");
        var get = await usageOnly.GetAsync("/api/v1/budget");

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (put.StatusCode, delete.StatusCode, get.StatusCode));
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/budget")).StatusCode);
    }
}
