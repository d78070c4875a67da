using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Tests.Web.Api.Scim;

namespace TenantPortal.Tests.Isolation;

/// <summary>
/// Every route under /scim/v2, as anonymous, with an API key, as a signed-in owner, and with another tenant's SCIM
/// token: only a SCIM token opens them (401 with a SCIM error otherwise), and another tenant's token never reaches
/// this tenant's rows. A route added later without an entry here fails <see cref="EveryScimRoute_IsListed"/>.
/// </summary>
[Collection(PortalCollection.Name)]
public class ScimRouteIsolationTests(PortalAppFactory portal)
{
    /// <summary>"METHOD /pattern" → the path asked (with {user} and {group}: ids of the target tenant) and a body.</summary>
    private static readonly Dictionary<string, (string Path, string? Body)> Routes = new()
    {
        ["GET /scim/v2/Users/"] = ("/scim/v2/Users", null),
        ["GET /scim/v2/Users/{id}"] = ("/scim/v2/Users/{user}", null),
        ["POST /scim/v2/Users/"] = ("/scim/v2/Users", """{"userName":"matrix-new@directory.test"}"""),
        ["PUT /scim/v2/Users/{id}"] = ("/scim/v2/Users/{user}", """{"userName":"{email}","active":false}"""),
        ["PATCH /scim/v2/Users/{id}"] = ("/scim/v2/Users/{user}", """{"Operations":[{"op":"replace","path":"active","value":false}]}"""),
        ["DELETE /scim/v2/Users/{id}"] = ("/scim/v2/Users/{user}", null),
        ["GET /scim/v2/Groups/"] = ("/scim/v2/Groups", null),
        ["GET /scim/v2/Groups/{id}"] = ("/scim/v2/Groups/{group}", null),
        ["POST /scim/v2/Groups/"] = ("/scim/v2/Groups", """{"displayName":"matrix-new"}"""),
        ["PUT /scim/v2/Groups/{id}"] = ("/scim/v2/Groups/{group}", """{"displayName":"matrix-renamed"}"""),
        ["PATCH /scim/v2/Groups/{id}"] = ("/scim/v2/Groups/{group}", """{"Operations":[{"op":"replace","path":"displayName","value":"matrix-patched"}]}"""),
        ["DELETE /scim/v2/Groups/{id}"] = ("/scim/v2/Groups/{group}", null),
        ["GET /scim/v2/ServiceProviderConfig"] = ("/scim/v2/ServiceProviderConfig", null),
        ["GET /scim/v2/ResourceTypes"] = ("/scim/v2/ResourceTypes", null),
        ["GET /scim/v2/ResourceTypes/{name}"] = ("/scim/v2/ResourceTypes/User", null),
        ["GET /scim/v2/Schemas"] = ("/scim/v2/Schemas", null),
        ["GET /scim/v2/Schemas/{urn}"] = ("/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group", null),
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var route in Routes.Keys)
            foreach (var caller in new[] { "no token", "API key with every scope", "signed-in owner", "token of the tenant", "token of another tenant" })
                data.Add(route, caller);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ScimRoute_AnswersOnlyATokenOfItsTenant(string route, string caller)
    {
        using var target = await ScimTestClient.ArrangeAsync(portal);
        var member = await ScimTestClient.MemberAsync(portal, target.TenantId, target.Team.Member.Email);
        var group = (await ScimTestClient.BodyAsync(await target.Client.PostAsync("/scim/v2/Groups", ScimTestClient.Json("""{"displayName":"matrix"}""")))).GetProperty("id").GetString();
        var (path, body) = Routes[route];
        path = path.Replace("{user}", member!.Id.ToString(), StringComparison.Ordinal).Replace("{group}", group, StringComparison.Ordinal);
        body = body?.Replace("{email}", target.Team.Member.Email, StringComparison.Ordinal);
        using var client = portal.CreateBrowserLikeClient();
        ScimTestClient.Arranged? other = null;
        switch (caller)
        {
            case "API key with every scope":
                client.DefaultRequestHeaders.Authorization = new("Bearer", await ApiKeys.CreateAsync(portal, target.Team.Slug, TenantPortal.Core.ApiKeys.ApiKeyScopes.All.ToArray()));
                break;
            case "signed-in owner":
                await AccountClient.LogInAsync(client, "owner@acme.test", PortalAppFactory.DemoPassword);
                break;
            case "token of the tenant":
                client.DefaultRequestHeaders.Authorization = target.Client.DefaultRequestHeaders.Authorization;
                break;
            case "token of another tenant":
                other = await ScimTestClient.ArrangeAsync(portal);
                client.DefaultRequestHeaders.Authorization = other.Client.DefaultRequestHeaders.Authorization;
                break;
        }

        var method = route[..route.IndexOf(' ')];
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
            request.Content = ScimTestClient.Json(body);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        other?.Dispose();

        var namesRows = path.Contains(member.Id.ToString(), StringComparison.Ordinal) || path.Contains(group!, StringComparison.Ordinal);
        switch (caller)
        {
            case "token of the tenant":
                Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {text}");
                break;
            case "token of another tenant":
                if (namesRows)
                    await ScimTestClient.AssertScimErrorAsync(response, 404, null);
                else
                    Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {text}");
                Assert.DoesNotContain(target.Team.Member.Email, text, StringComparison.OrdinalIgnoreCase);
                Assert.False((await ScimTestClient.MemberAsync(portal, target.TenantId, target.Team.Member.Email))!.IsSuspended);
                break;
            default:
                await ScimTestClient.AssertScimErrorAsync(response, 401, null);
                break;
        }
    }

    [Fact]
    public void EveryScimRoute_IsListed()
    {
        var routes = portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => ("/" + e.RoutePattern.RawText?.TrimStart('/')).StartsWith("/scim/", StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} /{e.RoutePattern.RawText?.TrimStart('/')}"))
            .ToHashSet();

        Assert.True(routes.SetEquals(Routes.Keys), $"SCIM routes not listed: {string.Join(", ", routes.Except(Routes.Keys))}; listed but gone: {string.Join(", ", Routes.Keys.Except(routes))}");
    }
}
