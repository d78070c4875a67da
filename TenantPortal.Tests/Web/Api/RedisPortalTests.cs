using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Api;

/// <summary>
/// The portal with <c>Redis:Configuration</c>, <c>Metering:QuotaCache=Redis</c> and <c>RateLimiting:Store=Redis</c> on a
/// redis-server of its own: the shared limiter answers 429 as the in-memory one does, <c>/health/ready</c> reports Redis,
/// and with Redis stopped the portal keeps serving (ready but Degraded, usage accepted, quota checks from the database).
/// </summary>
public sealed class RedisPortalTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"tenantportal-redis-{Guid.NewGuid():N}");
    private OwnRedisServer _redis = null!;
    private WebApplicationFactory<Program> _portal = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDirectory);
        _redis = await OwnRedisServer.StartNewAsync();
        _portal = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Portal", $"Data Source={Path.Combine(_dataDirectory, "portal.db")}");
            builder.UseSetting("Operator:Password", PortalAppFactory.OperatorPassword);
            builder.UseSetting("Demo:Seed", "true");
            builder.UseSetting("Demo:ApiKey", PortalAppFactory.DemoApiKey);
            builder.UseSetting("Email:PickupDirectory", Path.Combine(_dataDirectory, "mail"));
            builder.UseSetting("Redis:Configuration", _redis.Configuration);
            builder.UseSetting("Metering:QuotaCache", "Redis");
            builder.UseSetting("RateLimiting:Store", "Redis");
            builder.UseSetting("RateLimiting:RequestsPerSecond", "5");
        });
        _portal.CreateClient().Dispose(); // starts the host
    }

    public async Task DisposeAsync()
    {
        await _portal.DisposeAsync();
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
        await _redis.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment.
        }
    }

    private HttpClient ApiClient()
    {
        var client = _portal.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PortalAppFactory.DemoApiKey);
        return client;
    }

    private static async Task<JsonElement> ReadyAsync(HttpClient client)
    {
        var response = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.Clone();
    }

    private static Task<HttpResponseMessage> ReportAsync(HttpClient client, string id, int quantity) =>
        client.PostAsync("/api/v1/usage", new StringContent(
            $$"""{"events":[{"id":"{{id}}","metric":"api_calls","quantity":{{quantity}},"timestamp":"{{DateTimeOffset.UtcNow:O}}"}]}""", Encoding.UTF8, "application/json"));

    private static async Task<decimal> UsedAsync(HttpClient client)
    {
        var response = await client.PostAsync("/api/v1/quota/check", new StringContent("""{"metric":"api_calls","amount":0}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("used").GetDecimal();
    }

    // A fresh window of the limit of 5 for the tests' own few requests.
    private static Task WindowPassedAsync() => WallClock.WindowPassedAsync();

    [Fact]
    public async Task SharedLimit_Health_AndRedisStopped_KeepTheApiServing()
    {
        using var client = ApiClient();

        var burst = await WallClock.InOneWindowAsync(() => Task.WhenAll(Enumerable.Range(0, 12).Select(_ => client.GetAsync("/api/v1/usage/current"))));
        var refused = burst.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(5, burst.Count(r => r.IsSuccessStatusCode));
        Assert.Equal(7, refused.Count);
        Assert.All(refused, r => Assert.True(r.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1)));
        Assert.Equal("application/problem+json", refused[0].Content.Headers.ContentType?.MediaType);

        var healthy = await ReadyAsync(client);
        Assert.Equal("Healthy", healthy.GetProperty("status").GetString());
        Assert.Equal("Healthy", healthy.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());

        await WindowPassedAsync();
        var before = await UsedAsync(client);
        Assert.Equal(HttpStatusCode.Accepted, (await ReportAsync(client, "redis-up-1", 7)).StatusCode);
        Assert.Equal(before + 7, await UsedAsync(client));

        await _redis.StopAsync();
        var degraded = await ReadyAsync(client);
        await WindowPassedAsync();
        var accepted = await ReportAsync(client, "redis-down-1", 11);
        var usedWhileDown = await UsedAsync(client);
        await WindowPassedAsync();
        var served = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => client.GetAsync("/api/v1/usage/current")));

        Assert.Equal("Degraded", degraded.GetProperty("status").GetString());
        Assert.Equal("Degraded", degraded.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
        Assert.Equal("Healthy", degraded.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(before + 18, usedWhileDown);
        Assert.All(served, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.InRange(served.Count(r => r.IsSuccessStatusCode), 1, 10);

        await _redis.StartAsync();
        var deadline = DateTime.UtcNow + TestTimeouts.Generous;
        JsonElement back;
        while ((back = await ReadyAsync(client)).GetProperty("status").GetString() != "Healthy" && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        await WindowPassedAsync();

        Assert.Equal("Healthy", back.GetProperty("status").GetString());
        Assert.Equal(before + 18, await UsedAsync(client)); // rebuilt from the database in the new (empty) Redis
    }
}
