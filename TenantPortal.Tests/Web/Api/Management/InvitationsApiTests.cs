using System.Net;
using System.Text;
using System.Text.Json;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Invitations;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Tests.Infrastructure;
using static TenantPortal.Tests.Infrastructure.ApiResponses;

namespace TenantPortal.Tests.Web.Api.Management;

[Collection(PortalCollection.Name)]
public class InvitationsApiTests(PortalAppFactory portal)
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");


    private static string NewEmail() => $"invitee-{Guid.NewGuid():N}@example.test";

    // A throwaway team and a key of it created by its admin.
    private async Task<(Teams.Team Team, string Secret, HttpClient Client)> TeamAsync(SubscriptionTier tier, params string[] scopes)
    {
        var team = await Teams.CreateAsync(portal, tier);
        var secret = await ApiKeys.CreateByAsync(portal, team.Slug, team.Admin.Email, scopes);
        return (team, secret, ApiKeys.ClientFor(portal, secret));
    }

    private Task<(Teams.Team Team, string Secret, HttpClient Client)> TeamAsync(params string[] scopes) => TeamAsync(SubscriptionTier.Starter, scopes);

    private static Task<HttpResponseMessage> InviteAsync(HttpClient client, string email, string role = "Member", int? days = null) =>
        client.PostAsync("/api/v1/invitations", Json(JsonSerializer.Serialize(new Dictionary<string, object?> { ["email"] = email, ["role"] = role, ["expiresInDays"] = days })));

    private static async Task<Guid> InvitedAsync(HttpClient client, string email, string role = "Member")
    {
        var response = await InviteAsync(client, email, role);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await BodyAsync(response)).GetProperty("id").GetGuid();
    }


    // The pickup sender writes one .eml per message; the link is in a quoted-printable body (soft line breaks, =3D).
    private async Task<string> MailTextToAsync(string email)
    {
        var folder = Path.Combine(portal.DataDirectory, "mail");
        foreach (var file in Directory.Exists(folder) ? Directory.GetFiles(folder, "*.eml") : [])
        {
            var raw = await File.ReadAllTextAsync(file);
            if (raw.Contains($"To: {email}", StringComparison.OrdinalIgnoreCase))
                return raw.Replace("=\r\n", "").Replace("=\n", "").Replace("=3D", "=");
        }
        throw new Xunit.Sdk.XunitException($"No email to {email} in {folder}.");
    }

    [Fact]
    public async Task Create_Is201WithLocation_EmailsThePortalsAcceptLink_AndAuditsTheKeyAndItsCreator()
    {
        var (team, secret, client) = await TeamAsync(ApiKeyScopes.MembersWrite);
        using var _c = client;
        var email = NewEmail();

        var response = await InviteAsync(client, email, "Admin", 3);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await BodyAsync(response);
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/invitations/{id}", response.Headers.Location?.ToString());
        Assert.Equal((email, "Admin", "Pending"), (body.GetProperty("email").GetString(), body.GetProperty("role").GetString(), body.GetProperty("status").GetString()));
        Assert.Equal(TimeSpan.FromDays(3), body.GetProperty("expiresAt").GetDateTimeOffset() - body.GetProperty("invitedAt").GetDateTimeOffset());
        Assert.Contains($"{portal.ServerAddress.ToString().TrimEnd('/')}/invitations/accept?token=", await MailTextToAsync(email));
        var entry = (await ApiKeys.AuditAsync(portal, team.Slug)).First();
        Assert.Equal("invitation.created", entry.Action);
        Assert.Contains($"({secret[..ApiKey.PrefixLength]}…)", entry.Actor);
        Assert.Contains(team.Admin.Email, entry.Actor);
        Assert.Equal(team.Admin.Id, (await Teams.InvitationsAsync(portal, team.Slug)).Single().InvitedByUserId);
    }

    [Fact]
    public async Task Create_WithoutExpiresInDays_IsValidForSevenDays()
    {
        var (_, _, client) = await TeamAsync(ApiKeyScopes.MembersWrite);
        using var _c = client;

        var response = await client.PostAsync("/api/v1/invitations", Json($"{{\"email\":\"{NewEmail()}\",\"role\":\"Viewer\"}}"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await BodyAsync(response);
        Assert.Equal(TimeSpan.FromDays(7), body.GetProperty("expiresAt").GetDateTimeOffset() - body.GetProperty("invitedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Create_AsOwner_IsRoleEscalation_ForAKeyActsAsAnAdmin()
    {
        var (team, _, client) = await TeamAsync(ApiKeyScopes.MembersWrite);
        using var _c = client;

        await AssertProblemAsync(await InviteAsync(client, NewEmail(), "Owner"), HttpStatusCode.Forbidden, "role_escalation", "role");
        Assert.Empty(await Teams.InvitationsAsync(portal, team.Slug));
    }

    [Fact]
    public async Task Create_ForAMember_IsAlreadyMember_AndForAPendingInvitee_AlreadyInvited()
    {
        var (team, _, client) = await TeamAsync(ApiKeyScopes.MembersWrite);
        using var _c = client;
        var email = NewEmail();
        await InvitedAsync(client, email);

        await AssertProblemAsync(await InviteAsync(client, team.Member.Email), HttpStatusCode.Conflict, "already_member", "email");
        await AssertProblemAsync(await InviteAsync(client, email.ToUpperInvariant()), HttpStatusCode.Conflict, "already_invited", "email");
        Assert.Single(await Teams.InvitationsAsync(portal, team.Slug));
    }

    [Fact]
    public async Task Create_WhenEverySeatIsTaken_IsSeatLimitReached()
    {
        // Free has 5 seats: owner, admin, member and two more.
        var (team, _, client) = await TeamAsync(SubscriptionTier.Free, ApiKeyScopes.MembersWrite);
        using var _c = client;
        await Teams.AddMemberAsync(portal, team.Slug, TenantRole.Viewer);
        await Teams.AddMemberAsync(portal, team.Slug, TenantRole.Viewer);

        await AssertProblemAsync(await InviteAsync(client, NewEmail()), HttpStatusCode.Conflict, "seat_limit_reached");
        Assert.Empty(await Teams.InvitationsAsync(portal, team.Slug));
    }

    [Fact]
    public async Task Create_WhenPendingInvitationsHoldTheLastSeats_IsSeatLimitReached_NamingTheEmail()
    {
        // Free has 5 seats: owner, admin and member, and two pending invitations hold the last two.
        var (team, _, client) = await TeamAsync(SubscriptionTier.Free, ApiKeyScopes.MembersWrite);
        using var _c = client;
        await InvitedAsync(client, NewEmail());
        await InvitedAsync(client, NewEmail());

        await AssertProblemAsync(await InviteAsync(client, NewEmail()), HttpStatusCode.Conflict, "seat_limit_reached", "email");
        Assert.Equal(2, (await Teams.InvitationsAsync(portal, team.Slug)).Count);
    }

    [Theory]
    [InlineData("{\"email\":\"not an email\",\"role\":\"Member\"}", 422, "email")]
    [InlineData("{\"role\":\"Member\"}", 422, "email")]
    [InlineData("{\"email\":\"x@example.test\",\"role\":\"Boss\"}", 422, "role")]
    [InlineData("{\"email\":\"x@example.test\"}", 422, "role")]
    [InlineData("{\"email\":\"x@example.test\",\"role\":\"Member\",\"expiresInDays\":0}", 422, "expiresInDays")]
    [InlineData("{\"email\":\"x@example.test\",\"role\":\"Member\",\"expiresInDays\":31}", 422, "expiresInDays")]
    [InlineData("{\"email\":\"x@example.test\",\"role\":\"Member\",\"expiresInDays\":1.5}", 422, "expiresInDays")]
    [InlineData("{\"email\":\"x@example.test\",\"role\":\"Member\",\"expiresInDays\":\"7\"}", 422, "expiresInDays")]
    [InlineData("{\"email\":\"x@example.test\",\"role\":\"Member\",\"days\":7}", 422, "days")]
    [InlineData("{\"email\":", 400, "body")]
    public async Task Create_WithBadInput_IsAProblemNamingTheField_AndInvitesNoOne(string body, int status, string field)
    {
        var (team, _, client) = await TeamAsync(ApiKeyScopes.MembersWrite);
        using var _c = client;

        var response = await client.PostAsync("/api/v1/invitations", Json(body));

        await AssertProblemAsync(response, (HttpStatusCode)status, null, field);
        Assert.Empty(await Teams.InvitationsAsync(portal, team.Slug));
    }

    [Fact]
    public async Task List_ShowsOnlyPendingInvitations_NewestFirst()
    {
        var (team, _, client) = await TeamAsync(ApiKeyScopes.MembersRead, ApiKeyScopes.MembersWrite);
        using var _c = client;
        var (first, second, gone) = (NewEmail(), NewEmail(), NewEmail());
        await InvitedAsync(client, first);
        await InvitedAsync(client, second, "Viewer");
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/invitations/{await InvitedAsync(client, gone)}")).StatusCode);

        var response = await client.GetAsync("/api/v1/invitations");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = (await BodyAsync(response)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([second, first], items.Select(i => i.GetProperty("email").GetString()));
        Assert.Equal("Viewer", items[0].GetProperty("role").GetString());
        Assert.True(items[0].GetProperty("expiresAt").GetDateTimeOffset() > items[0].GetProperty("invitedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task List_WalkedWithLimitOne_ReturnsEveryInvitationOnce()
    {
        var (_, _, client) = await TeamAsync(ApiKeyScopes.MembersRead, ApiKeyScopes.MembersWrite);
        using var _c = client;
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
            ids.Add(await InvitedAsync(client, NewEmail()));
        var seen = new List<Guid>();

        string? cursor = null;
        do
        {
            var page = await BodyAsync(await client.GetAsync($"/api/v1/invitations?limit=1{(cursor is null ? "" : $"&cursor={cursor}")}"));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null && seen.Count < 10);

        Assert.Equal(ids.Order(), seen.Order());
        Assert.Equal(3, seen.Distinct().Count());
    }

    [Theory]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("cursor=bm8tc3VjaC1pbnZpdGF0aW9u", "cursor")]
    public async Task List_WithABadLimitOrCursor_Is422NamingIt(string query, string field)
    {
        var (_, _, client) = await TeamAsync(ApiKeyScopes.MembersRead);
        using var _c = client;

        await AssertProblemAsync(await client.GetAsync($"/api/v1/invitations?{query}"), HttpStatusCode.UnprocessableEntity, "invalid", field);
    }

    [Fact]
    public async Task Resend_Is200_SendsANewLink_AndCountsIt()
    {
        var (team, _, client) = await TeamAsync(ApiKeyScopes.MembersWrite);
        using var _c = client;
        var email = NewEmail();
        var id = await InvitedAsync(client, email);
        var tokenBefore = (await Teams.InvitationsAsync(portal, team.Slug)).Single().TokenHash;

        var response = await client.PostAsync($"/api/v1/invitations/{id}/resend", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await BodyAsync(response);
        Assert.Equal((id, 2), (body.GetProperty("id").GetGuid(), body.GetProperty("sendCount").GetInt32()));
        Assert.NotEqual(tokenBefore, (await Teams.InvitationsAsync(portal, team.Slug)).Single().TokenHash);
        Assert.Contains(await ApiKeys.AuditAsync(portal, team.Slug), a => a.Action == "invitation.resent");
    }

    [Fact]
    public async Task Revoke_Is204_AndTheInvitationIsRevoked_ThenResendAndRevokeAgainAreConflicts()
    {
        var (team, _, client) = await TeamAsync(ApiKeyScopes.MembersWrite);
        using var _c = client;
        var id = await InvitedAsync(client, NewEmail());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/invitations/{id}")).StatusCode);

        Assert.Equal(InvitationStatus.Revoked, (await Teams.InvitationsAsync(portal, team.Slug)).Single().Status);
        await AssertProblemAsync(await client.PostAsync($"/api/v1/invitations/{id}/resend", null), HttpStatusCode.Conflict, "conflict");
        await AssertProblemAsync(await client.DeleteAsync($"/api/v1/invitations/{id}"), HttpStatusCode.Conflict, "conflict");
        Assert.Equal(1, (await Teams.InvitationsAsync(portal, team.Slug)).Single().SendCount);
    }

    [Fact]
    public async Task ResendAndRevoke_OfAnUnknownId_OrAnotherTenantsInvitation_Are404_AndChangeNothing()
    {
        var (_, _, client) = await TeamAsync(ApiKeyScopes.MembersWrite);
        using var _c = client;
        var (other, _, otherClient) = await TeamAsync(ApiKeyScopes.MembersWrite);
        using var _o = otherClient;
        var theirs = await InvitedAsync(otherClient, NewEmail());

        foreach (var id in new[] { Guid.NewGuid(), theirs })
        {
            await AssertProblemAsync(await client.PostAsync($"/api/v1/invitations/{id}/resend", null), HttpStatusCode.NotFound, "not_found");
            await AssertProblemAsync(await client.DeleteAsync($"/api/v1/invitations/{id}"), HttpStatusCode.NotFound, "not_found");
        }
        var invitation = (await Teams.InvitationsAsync(portal, other.Slug)).Single();
        Assert.Equal((InvitationStatus.Pending, 1), (invitation.Status, invitation.SendCount));
    }

    [Fact]
    public async Task WithoutTheScope_ListIs403_AndCreateResendRevokeAre403_MissingScope()
    {
        var (team, _, writer) = await TeamAsync(ApiKeyScopes.MembersWrite);
        using var _w = writer;
        var id = await InvitedAsync(writer, NewEmail());
        using var noRead = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, team.Slug, ApiKeyScopes.All.Where(s => s != ApiKeyScopes.MembersRead).ToArray()));
        using var noWrite = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, team.Slug, ApiKeyScopes.All.Where(s => s != ApiKeyScopes.MembersWrite).ToArray()));

        await AssertProblemAsync(await noRead.GetAsync("/api/v1/invitations"), HttpStatusCode.Forbidden, "missing_scope");
        await AssertProblemAsync(await InviteAsync(noWrite, NewEmail()), HttpStatusCode.Forbidden, "missing_scope");
        await AssertProblemAsync(await noWrite.PostAsync($"/api/v1/invitations/{id}/resend", null), HttpStatusCode.Forbidden, "missing_scope");
        await AssertProblemAsync(await noWrite.DeleteAsync($"/api/v1/invitations/{id}"), HttpStatusCode.Forbidden, "missing_scope");
        var invitation = (await Teams.InvitationsAsync(portal, team.Slug)).Single();
        Assert.Equal((InvitationStatus.Pending, 1), (invitation.Status, invitation.SendCount));
    }

    [Fact]
    public async Task RevokedKey_Is401_OnEveryInvitationsRoute_AndChangesNothing()
    {
        var (team, secret, client) = await TeamAsync(ApiKeyScopes.MembersRead, ApiKeyScopes.MembersWrite);
        using var _c = client;
        var id = await InvitedAsync(client, NewEmail());

        await ApiKeys.RevokeAsync(portal, secret);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/invitations")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await InviteAsync(client, NewEmail())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync($"/api/v1/invitations/{id}/resend", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.DeleteAsync($"/api/v1/invitations/{id}")).StatusCode);
        var invitation = (await Teams.InvitationsAsync(portal, team.Slug)).Single();
        Assert.Equal((InvitationStatus.Pending, 1), (invitation.Status, invitation.SendCount));
    }
}
