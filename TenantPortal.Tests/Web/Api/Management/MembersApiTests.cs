using System.Net;
using System.Text;
using System.Text.Json;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Members;
using TenantPortal.Tests.Infrastructure;
using static TenantPortal.Tests.Infrastructure.ApiResponses;

namespace TenantPortal.Tests.Web.Api.Management;

[Collection(PortalCollection.Name)]
public class MembersApiTests(PortalAppFactory portal)
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");


    // A throwaway team and a key of it created by its admin.
    private async Task<(Teams.Team Team, string Secret, HttpClient Client)> TeamAsync(params string[] scopes)
    {
        var team = await Teams.CreateAsync(portal);
        var secret = await ApiKeys.CreateByAsync(portal, team.Slug, team.Admin.Email, scopes);
        return (team, secret, ApiKeys.ClientFor(portal, secret));
    }

    private static async Task<HttpResponseMessage> PatchAsync(HttpClient client, string userId, string body, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/members/{userId}") { Content = Json(body) };
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request);
    }

    private static async Task<JsonElement> MemberAsync(HttpClient client, string userId) =>
        (await BodyAsync(await client.GetAsync("/api/v1/members?limit=100"))).GetProperty("items").EnumerateArray()
        .Single(m => m.GetProperty("userId").GetString() == userId);


    [Fact]
    public async Task List_ShowsTheTeam_InJoiningOrder_WithEmailRoleAndETag()
    {
        var (team, _, client) = await TeamAsync(ApiKeyScopes.MembersRead);
        using var _c = client;

        var response = await client.GetAsync("/api/v1/members");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await BodyAsync(response);
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([team.Owner.Id, team.Admin.Id, team.Member.Id], items.Select(i => i.GetProperty("userId").GetString()));
        Assert.Equal(["Owner", "Admin", "Member"], items.Select(i => i.GetProperty("role").GetString()));
        Assert.Equal(team.Admin.Email, items[1].GetProperty("email").GetString());
        Assert.StartsWith("\"", items[0].GetProperty("etag").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task List_WalkedWithLimitOne_ReturnsEveryMemberOnce()
    {
        var (team, _, client) = await TeamAsync(ApiKeyScopes.MembersRead);
        using var _c = client;
        await Teams.AddMemberAsync(portal, team.Slug, TenantRole.Viewer);
        var seen = new List<string>();

        string? cursor = null;
        do
        {
            var page = await BodyAsync(await client.GetAsync($"/api/v1/members?limit=1{(cursor is null ? "" : $"&cursor={cursor}")}"));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("userId").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null && seen.Count < 10);

        Assert.Equal(4, seen.Count);
        Assert.Equal(4, seen.Distinct().Count());
        Assert.Equal([team.Owner.Id, team.Admin.Id, team.Member.Id], seen.Take(3));
    }

    [Theory]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("limit=0", "limit")]
    [InlineData("cursor=bm90LWEtbWVtYmVy", "cursor")]
    [InlineData("cursor=%25%25%25", "cursor")]
    public async Task List_WithABadLimitOrCursor_Is422NamingIt(string query, string field)
    {
        var (_, _, client) = await TeamAsync(ApiKeyScopes.MembersRead);
        using var _c = client;

        var response = await client.GetAsync($"/api/v1/members?{query}");

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "invalid", field);
    }

    [Fact]
    public async Task List_WithoutMembersRead_Is403MissingScope()
    {
        var (_, _, client) = await TeamAsync(ApiKeyScopes.All.Where(s => s != ApiKeyScopes.MembersRead).ToArray());
        using var _c = client;

        await AssertProblemAsync(await client.GetAsync("/api/v1/members"), HttpStatusCode.Forbidden, "missing_scope");
    }

    [Fact]
    public async Task Patch_ChangesTheRole_ReturnsTheMemberWithANewETag_AndAuditsTheKeyAndItsCreator()
    {
        var (team, secret, client) = await TeamAsync(ApiKeyScopes.MembersRead, ApiKeyScopes.MembersWrite);
        using var _c = client;
        var etag = (await MemberAsync(client, team.Member.Id)).GetProperty("etag").GetString();

        var response = await PatchAsync(client, team.Member.Id, "{\"role\":\"Admin\"}", etag);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await BodyAsync(response);
        Assert.Equal("Admin", body.GetProperty("role").GetString());
        Assert.Equal(team.Member.Email, body.GetProperty("email").GetString());
        Assert.NotEqual(etag, response.Headers.ETag!.Tag);
        Assert.Equal(response.Headers.ETag!.Tag, body.GetProperty("etag").GetString());
        Assert.Equal(TenantRole.Admin, await Teams.RoleAsync(portal, team.Slug, team.Member.Id));
        var entry = (await ApiKeys.AuditAsync(portal, team.Slug)).First();
        Assert.Equal("member.role_changed", entry.Action);
        Assert.Contains($"({secret[..ApiKey.PrefixLength]}…)", entry.Actor);
        Assert.Contains(team.Admin.Email, entry.Actor);
        Assert.Equal(team.Admin.Id, entry.ActorUserId);
    }

    [Fact]
    public async Task Patch_WithAStaleETag_Is412_AndChangesNothing()
    {
        var (team, _, client) = await TeamAsync(ApiKeyScopes.MembersRead, ApiKeyScopes.MembersWrite);
        using var _c = client;
        var etag = (await MemberAsync(client, team.Member.Id)).GetProperty("etag").GetString();
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(client, team.Member.Id, "{\"role\":\"Viewer\"}", etag)).StatusCode);

        var stale = await PatchAsync(client, team.Member.Id, "{\"role\":\"Admin\"}", etag);

        await AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed, "precondition_failed", "If-Match");
        Assert.Equal(TenantRole.Viewer, await Teams.RoleAsync(portal, team.Slug, team.Member.Id));
    }

    [Fact]
    public async Task Delete_WithAStaleETag_Is412_AndRemovesNoOne_WithTheCurrentOne_Removes()
    {
        var (team, _, client) = await TeamAsync(ApiKeyScopes.MembersRead, ApiKeyScopes.MembersWrite);
        using var _c = client;
        var etag = (await MemberAsync(client, team.Member.Id)).GetProperty("etag").GetString();
        var changed = await PatchAsync(client, team.Member.Id, "{\"role\":\"Viewer\"}", etag);

        using var stale = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/members/{team.Member.Id}");
        stale.Headers.TryAddWithoutValidation("If-Match", etag);
        await AssertProblemAsync(await client.SendAsync(stale), HttpStatusCode.PreconditionFailed, "precondition_failed", "If-Match");
        Assert.Equal(TenantRole.Viewer, await Teams.RoleAsync(portal, team.Slug, team.Member.Id));

        using var current = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/members/{team.Member.Id}");
        current.Headers.TryAddWithoutValidation("If-Match", changed.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(current)).StatusCode);
        Assert.Null(await Teams.RoleAsync(portal, team.Slug, team.Member.Id));
    }

    [Theory]
    [InlineData("Owner", "member", HttpStatusCode.Forbidden, "role_escalation")]
    [InlineData("Admin", "owner", HttpStatusCode.Forbidden, "forbidden")]
    public async Task Patch_BeyondAnAdminsAuthority_IsRefusedWithItsCode_AndChangesNothing(string role, string target, HttpStatusCode status, string code)
    {
        var (team, _, client) = await TeamAsync(ApiKeyScopes.MembersWrite);
        using var _c = client;
        var user = target == "owner" ? team.Owner : team.Member;
        var before = await Teams.RoleAsync(portal, team.Slug, user.Id);

        var response = await PatchAsync(client, user.Id, $"{{\"role\":\"{role}\"}}");

        await AssertProblemAsync(response, status, code);
        Assert.Equal(before, await Teams.RoleAsync(portal, team.Slug, user.Id));
        Assert.DoesNotContain(await ApiKeys.AuditAsync(portal, team.Slug), a => a.Action == "member.role_changed");
    }

    [Theory]
    [InlineData("{\"role\":\"Emperor\"}", 422, "role")]
    [InlineData("{\"role\":2}", 422, "role")]
    [InlineData("{\"role\":\"Viewer,Member\"}", 422, "role")]
    [InlineData("{}", 422, "role")]
    [InlineData("{\"rol\":\"Admin\"}", 422, "rol")]
    [InlineData("{\"role\":", 400, "body")]
    public async Task Patch_WithBadInput_IsAProblemNamingTheField_AndChangesNothing(string body, int status, string field)
    {
        var (team, _, client) = await TeamAsync(ApiKeyScopes.MembersWrite);
        using var _c = client;

        var response = await PatchAsync(client, team.Member.Id, body);

        await AssertProblemAsync(response, (HttpStatusCode)status, null, field);
        Assert.Equal(TenantRole.Member, await Teams.RoleAsync(portal, team.Slug, team.Member.Id));
    }

    [Fact]
    public async Task Patch_AndDelete_OfAnUnknownUser_OrAnotherTenantsMember_Are404()
    {
        var (team, _, client) = await TeamAsync(ApiKeyScopes.MembersWrite);
        using var _c = client;
        var other = await Teams.CreateAsync(portal);

        foreach (var userId in new[] { "no-such-user", other.Member.Id })
        {
            await AssertProblemAsync(await PatchAsync(client, userId, "{\"role\":\"Viewer\"}"), HttpStatusCode.NotFound, "not_found");
            await AssertProblemAsync(await client.DeleteAsync($"/api/v1/members/{userId}"), HttpStatusCode.NotFound, "not_found");
        }
        Assert.Equal(TenantRole.Member, await Teams.RoleAsync(portal, other.Slug, other.Member.Id));
        Assert.Equal(TenantRole.Member, await Teams.RoleAsync(portal, team.Slug, team.Member.Id));
    }

    [Fact]
    public async Task Patch_WithoutMembersWrite_Is403MissingScope_AndChangesNothing()
    {
        var (team, _, client) = await TeamAsync(ApiKeyScopes.All.Where(s => s != ApiKeyScopes.MembersWrite).ToArray());
        using var _c = client;

        await AssertProblemAsync(await PatchAsync(client, team.Member.Id, "{\"role\":\"Viewer\"}"), HttpStatusCode.Forbidden, "missing_scope");
        await AssertProblemAsync(await client.DeleteAsync($"/api/v1/members/{team.Member.Id}"), HttpStatusCode.Forbidden, "missing_scope");
        Assert.Equal(TenantRole.Member, await Teams.RoleAsync(portal, team.Slug, team.Member.Id));
    }

    [Fact]
    public async Task Delete_RemovesTheMember_AndAuditsTheKeyAndItsCreator()
    {
        var (team, secret, client) = await TeamAsync(ApiKeyScopes.MembersWrite);
        using var _c = client;

        var response = await client.DeleteAsync($"/api/v1/members/{team.Member.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Null(await Teams.RoleAsync(portal, team.Slug, team.Member.Id));
        var entry = (await ApiKeys.AuditAsync(portal, team.Slug)).First();
        Assert.Equal("member.removed", entry.Action);
        Assert.Contains($"({secret[..ApiKey.PrefixLength]}…)", entry.Actor);
        Assert.Contains(team.Admin.Email, entry.Actor);
    }

    [Fact]
    public async Task Delete_OfAnOwner_IsForbidden_SoTheLastOwnerStays()
    {
        var (team, _, client) = await TeamAsync(ApiKeyScopes.MembersWrite);
        using var _c = client;

        var response = await client.DeleteAsync($"/api/v1/members/{team.Owner.Id}");

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(TenantRole.Owner, await Teams.RoleAsync(portal, team.Slug, team.Owner.Id));
    }

    [Fact]
    public async Task Delete_OfTheKeysOwnCreator_RemovesThem_AsAnyAdminCould()
    {
        var (team, _, client) = await TeamAsync(ApiKeyScopes.MembersWrite);
        using var _c = client;

        var response = await client.DeleteAsync($"/api/v1/members/{team.Admin.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Null(await Teams.RoleAsync(portal, team.Slug, team.Admin.Id));
    }

    [Fact]
    public async Task RevokedKey_Is401_OnEveryMembersRoute_AndChangesNothing()
    {
        var (team, secret, client) = await TeamAsync(ApiKeyScopes.MembersRead, ApiKeyScopes.MembersWrite);
        using var _c = client;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/members")).StatusCode);

        await ApiKeys.RevokeAsync(portal, secret);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/members")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PatchAsync(client, team.Member.Id, "{\"role\":\"Viewer\"}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.DeleteAsync($"/api/v1/members/{team.Member.Id}")).StatusCode);
        Assert.Equal(TenantRole.Member, await Teams.RoleAsync(portal, team.Slug, team.Member.Id));
    }
}
