using System.Net;
using System.Text;
using System.Text.Json;
using TenantPortal.Core.Tenants;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Api;

[Collection(PortalCollection.Name)]
public class QuotaApiTests(PortalAppFactory portal)
{
    private static Task<HttpResponseMessage> CheckAsync(HttpClient client, string body) =>
        client.PostAsync("/api/v1/quota/check", new StringContent(body, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Check_Allows_WithUsedLimitRemainingAndReset()
    {
        using var client = ApiKeys.ClientFor(portal, PortalAppFactory.DemoApiKey);

        var response = await CheckAsync(client, "{\"metric\":\"gpu_hours\",\"amount\":1.5}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        Assert.True(root.GetProperty("allowed").GetBoolean());
        Assert.Equal(200m, root.GetProperty("limit").GetDecimal());
        Assert.Equal(root.GetProperty("limit").GetDecimal() - root.GetProperty("used").GetDecimal(), root.GetProperty("remaining").GetDecimal());
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1), root.GetProperty("resetsAt").GetDateTimeOffset());
        Assert.False(root.TryGetProperty("reason", out _));
    }

    [Fact]
    public async Task Check_OverAFreeQuota_Is429_WithRetryAfterToTheReset()
    {
        using var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, "initech"));

        var response = await CheckAsync(client, "{\"metric\":\"api_calls\",\"amount\":5000}");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(body.RootElement.GetProperty("allowed").GetBoolean());
        Assert.Equal("quota_exceeded", body.RootElement.GetProperty("reason").GetString());
        var now = DateTimeOffset.UtcNow;
        var reset = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
        var retryAfter = response.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
        Assert.InRange(retryAfter, (reset - now).TotalSeconds - 60, (reset - now).TotalSeconds + 60);
    }

    [Fact]
    public async Task Check_ForASuspendedTenant_Is429_Suspended()
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, SubscriptionTier.Professional, TenantStatus.Suspended);
        using var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, slug));

        var response = await CheckAsync(client, "{\"metric\":\"api_calls\",\"amount\":1}");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Contains("\"reason\":\"suspended\"", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("{\"metric\":\"bananas\",\"amount\":1}", 422, "metric")]
    [InlineData("{\"metric\":\"api_calls\",\"amount\":-1}", 422, "amount")]
    [InlineData("{\"metric\":\"api_calls\"}", 400, "amount")]
    [InlineData("{\"metric\":\"api_calls\",\"amount\":\"1\"}", 400, "amount")]
    [InlineData("{\"metric\":", 400, "body")]
    public async Task Check_RefusesBadInput_WithAProblemNamingTheField(string body, int status, string field)
    {
        using var client = ApiKeys.ClientFor(portal, PortalAppFactory.DemoApiKey);

        var response = await CheckAsync(client, body);

        Assert.Equal(status, (int)response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Current_ReportsEveryMetric_AndTheEstimatedCost()
    {
        using var client = ApiKeys.ClientFor(portal, PortalAppFactory.DemoApiKey);

        var response = await client.GetAsync("/api/v1/usage/current");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        var metrics = root.GetProperty("metrics").EnumerateArray().ToList();
        Assert.Equal(["api_calls", "storage_gb", "gpu_hours", "users", "studies"], metrics.Select(m => m.GetProperty("metric").GetString()));
        Assert.Equal(19_900, root.GetProperty("baseCents").GetInt64());
        Assert.Equal(19_900 + metrics.Sum(m => m.GetProperty("overageCostCents").GetInt64()), root.GetProperty("estimatedCostCents").GetInt64());
        Assert.All(metrics, m => Assert.Contains(m.GetProperty("band").GetString(), new[] { "green", "yellow", "red" }));
    }
}
