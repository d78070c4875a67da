using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Api;

[Collection(PortalCollection.Name)]
public class ApiKeyAuthenticationTests(PortalAppFactory portal)
{
    private async Task<HttpResponseMessage> CallAsync(string? authorization)
    {
        using var client = portal.CreateBrowserLikeClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, ApiKeyProbeStartupFilter.Path);
        if (authorization is not null)
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task AValidKey_MakesItsTenantTheRequestsTenant()
    {
        var response = await CallAsync($"Bearer {PortalAppFactory.DemoApiKey}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        await using var scope = portal.Services.CreateAsyncScope();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test");
        var acme = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Tenants.SingleAsync(t => t.Slug == "acme");
        Assert.Equal(acme.Id, body.RootElement.GetProperty("tenantId").GetGuid());
        Assert.Equal(acme.Id.ToString(), body.RootElement.GetProperty("claimTenant").GetString());
        Assert.Contains("usage:write", body.RootElement.GetProperty("scopes").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer tp_live_not-a-real-key-at-all")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer ")]
    public async Task AMissingOrWrongKey_Gets401_WithAProblemBody(string? authorization)
    {
        var response = await CallAsync(authorization);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ASignedInUsersCookie_DoesNotOpenTheApi()
    {
        using var client = portal.CreateBrowserLikeClient();
        await AccountClient.LogInAsync(client, "owner@acme.test", PortalAppFactory.DemoPassword);

        var response = await client.GetAsync(ApiKeyProbeStartupFilter.Path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
