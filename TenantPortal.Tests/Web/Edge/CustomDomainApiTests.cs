using System.Net;
using System.Text;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Tests.Infrastructure;
using static TenantPortal.Tests.Infrastructure.ApiResponses;

namespace TenantPortal.Tests.Web.Edge;

/// <summary>
/// <c>PATCH /api/v1/tenant</c> in production (public host portal.example.com, tenant hosts under portal.test): a custom
/// domain is stored normalized and can't be one of the portal's own hosts, another tenant's host among them.
/// </summary>
public class CustomDomainApiTests(ProductionPortalFactory production) : IClassFixture<ProductionPortalFactory>
{
    [Theory]
    [InlineData("globex.portal.test")]
    [InlineData("Globex.Portal.Test.")]
    [InlineData("portal.test")]
    [InlineData("portal.example.com")]
    [InlineData("a..b.example")]
    [InlineData("xn--a.example")]
    public async Task Patch_RefusesTheDomain_NamingTheField(string domain)
    {
        using var client = await TenantWriterAsync();

        using var response = await PatchAsync(client, domain);

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "invalid", "customDomain");
    }

    [Theory]
    [InlineData("Portal.Acme-Corp.EXAMPLE.", "portal.acme-corp.example")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    public async Task Patch_StoresTheDomainNormalized(string domain, string stored)
    {
        using var client = await TenantWriterAsync();
        var unique = $"{Guid.NewGuid():N}"[..8];

        using var response = await PatchAsync(client, $"t{unique}.{domain}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"t{unique}.{stored}", (await BodyAsync(response)).GetProperty("customDomain").GetString());
    }

    private static Task<HttpResponseMessage> PatchAsync(HttpClient client, string domain) =>
        client.PatchAsync("/api/v1/tenant", new StringContent($"{{\"customDomain\":\"{domain}\"}}", Encoding.UTF8, "application/json"));

    private async Task<HttpClient> TenantWriterAsync()
    {
        var team = await Teams.CreateAsync(production);
        var secret = await ApiKeys.CreateByAsync(production, team.Slug, team.Admin.Email, ApiKeyScopes.TenantWrite);
        var client = production.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        return client;
    }
}
