using System.Net;
using System.Text.Json;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Api;

[Collection(PortalCollection.Name)]
public class HealthEndpointTests(PortalAppFactory portal)
{
    [Fact]
    public async Task Ready_IsHealthy_WithDatabaseAndJobStorageChecks()
    {
        using var client = portal.CreateBrowserLikeClient();

        var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        var checks = body.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("jobs").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Live_IsHealthy_WithoutRunningChecks()
    {
        using var client = portal.CreateBrowserLikeClient();

        var response = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Empty(body.RootElement.GetProperty("checks").EnumerateObject());
    }
}
