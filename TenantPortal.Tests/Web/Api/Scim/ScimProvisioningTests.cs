using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Members;
using TenantPortal.Data.Services.Scim;
using TenantPortal.Tests.Infrastructure;
using static TenantPortal.Tests.Web.Api.Scim.ScimTestClient;

namespace TenantPortal.Tests.Web.Api.Scim;

/// <summary>
/// SCIM clients against the real /scim/v2 endpoints: a sequence like Okta's provisioning and one like Microsoft Entra
/// ID's (create, filter by userName, deactivate, reactivate, group membership deciding the role, delete), and the refusals.
/// </summary>
[Collection(PortalCollection.Name)]
public class ScimProvisioningTests(PortalAppFactory portal)
{
    private static string NewEmail(string who) => $"{who}-{Guid.NewGuid():N}@directory.test";

    private static string UserBody(string email, string? externalId = null, bool active = true) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["schemas"] = new[] { "urn:ietf:params:scim:schemas:core:2.0:User" },
        ["userName"] = email,
        ["externalId"] = externalId,
        ["name"] = new { givenName = "Ann", familyName = "Lee" },
        ["emails"] = new[] { new { primary = true, value = email, type = "work" } },
        ["displayName"] = "Ann Lee",
        ["active"] = active,
    });

    private Task<Result> MapAsync(ScimTestClient.Arranged scim, string group, TenantRole role) =>
        InTenantAsync(portal, scim.TenantId, async sp => (Result)await sp.GetRequiredService<ScimRoleMappingService>()
            .SetAsync(new Actor(scim.Team.Admin.Id, scim.Team.Admin.Email), group, role, CancellationToken.None));

    private Task<Result<TenantAccess>> EnterAsync(ScimTestClient.Arranged scim, string email) =>
        InTenantAsync(portal, scim.TenantId, async sp => await sp.GetRequiredService<TenantAccessService>()
            .EnterAsync(scim.Team.Slug, await UserIdAsync(portal, email), signedInWithSecondFactor: false, CancellationToken.None));

    [Fact]
    public async Task OktaLikeSequence_CreatesFindsSuspendsReactivatesMapsAGroupToARole_AndDeletes_AuditedAsTheToken()
    {
        using var scim = await ArrangeAsync(portal);
        var client = scim.Client;
        var email = NewEmail("okta");
        Assert.True((await MapAsync(scim, "Portal-Admins", TenantRole.Admin)).IsSuccess);

        // Okta first looks the user up by userName, then creates it.
        var lookup = await BodyAsync(await client.GetAsync($"/scim/v2/Users?filter=userName%20eq%20%22{email}%22&startIndex=1&count=100"));
        Assert.Equal(0, lookup.GetProperty("totalResults").GetInt32());
        var created = await client.PostAsync("/scim/v2/Users", Json(UserBody(email, "00u-okta-1")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("application/scim+json", created.Content.Headers.ContentType?.MediaType);
        var user = await BodyAsync(created);
        var id = user.GetProperty("id").GetString()!;
        Assert.EndsWith($"/scim/v2/Users/{id}", created.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal(email, user.GetProperty("userName").GetString());
        Assert.True(user.GetProperty("active").GetBoolean());
        Assert.Equal("User", user.GetProperty("meta").GetProperty("resourceType").GetString());
        Assert.Equal(created.Headers.Location!.AbsoluteUri, user.GetProperty("meta").GetProperty("location").GetString());
        // Found on the cluster: lastModified came out a moment before created.
        Assert.True(user.GetProperty("meta").GetProperty("lastModified").GetDateTimeOffset() >= user.GetProperty("meta").GetProperty("created").GetDateTimeOffset());
        Assert.Equal("Ann", user.GetProperty("name").GetProperty("givenName").GetString());
        var member = await MemberAsync(portal, scim.TenantId, email);
        Assert.Equal(TenantRole.Member, member!.Role);
        Assert.Equal(Guid.Parse(id), member.Id);
        Assert.True((await EnterAsync(scim, email)).IsSuccess);

        var found = await BodyAsync(await client.GetAsync($"/scim/v2/Users?filter=userName%20eq%20%22{email.ToUpperInvariant()}%22"));
        Assert.Equal(1, found.GetProperty("totalResults").GetInt32());
        Assert.Equal(id, found.GetProperty("Resources")[0].GetProperty("id").GetString());

        // Okta deactivates with a replace without a path.
        var deactivated = await PatchAsync(client, $"/scim/v2/Users/{id}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}""");
        Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        Assert.False((await BodyAsync(deactivated)).GetProperty("active").GetBoolean());
        Assert.True((await MemberAsync(portal, scim.TenantId, email))!.IsSuspended);
        var refused = await EnterAsync(scim, email);
        Assert.Equal(ErrorCodes.Forbidden, refused.Error?.Code);
        Assert.Contains("suspended", refused.Error!.Message, StringComparison.OrdinalIgnoreCase);

        var reactivated = await PatchAsync(client, $"/scim/v2/Users/{id}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":true}}]}""");
        Assert.True((await BodyAsync(reactivated)).GetProperty("active").GetBoolean());
        Assert.True((await EnterAsync(scim, email)).IsSuccess);

        // Okta pushes a group with the user in it: the mapping makes them Admin; removing them makes them Member again.
        var group = await client.PostAsync("/scim/v2/Groups", Json($$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"portal-admins","members":[{"value":"{{id}}"}]}"""));
        Assert.Equal(HttpStatusCode.Created, group.StatusCode);
        var groupId = (await BodyAsync(group)).GetProperty("id").GetString();
        Assert.Equal(TenantRole.Admin, (await MemberAsync(portal, scim.TenantId, email))!.Role);
        var withGroups = await BodyAsync(await client.GetAsync($"/scim/v2/Users/{id}"));
        Assert.Equal("portal-admins", withGroups.GetProperty("groups")[0].GetProperty("display").GetString());

        var removed = await PatchAsync(client, $"/scim/v2/Groups/{groupId}",
            $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members[value eq \"{{id}}\"]"}]}""");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal(0, (await BodyAsync(removed)).GetProperty("members").GetArrayLength());
        Assert.Equal(TenantRole.Member, (await MemberAsync(portal, scim.TenantId, email))!.Role);

        // Okta's PUT of the profile.
        var replaced = await client.PutAsync($"/scim/v2/Users/{id}", Json(UserBody(email, "00u-okta-1").Replace("\"Ann\"", "\"Anne\"")));
        Assert.Equal("Anne", (await BodyAsync(replaced)).GetProperty("name").GetProperty("givenName").GetString());

        var deleted = await client.DeleteAsync($"/scim/v2/Users/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Null(await MemberAsync(portal, scim.TenantId, email));
        await AssertScimErrorAsync(await client.GetAsync($"/scim/v2/Users/{id}"), 404, null);
        // The account stays: it may belong to other workspaces.
        Assert.False(string.IsNullOrEmpty(await UserIdAsync(portal, email)));

        var audit = await ApiKeys.AuditAsync(portal, scim.Team.Slug);
        var byToken = audit.Where(a => a.Actor.StartsWith("SCIM token Okta (tp_scim_", StringComparison.Ordinal)).Select(a => a.Action).ToList();
        Assert.Contains(AuditActions.MemberAdded, byToken);
        Assert.Contains(AuditActions.MemberSuspended, byToken);
        Assert.Contains(AuditActions.MemberReactivated, byToken);
        Assert.Contains(AuditActions.MemberRoleChanged, byToken);
        Assert.Contains(AuditActions.ScimGroupChanged, byToken);
        Assert.Contains(AuditActions.MemberRemoved, byToken);
        Assert.Equal(2, audit.Count(a => a.Action == AuditActions.MemberRoleChanged && a.Target == $"member:{email}"));
    }

    [Fact]
    public async Task EntraLikeSequence_WithCapitalisedOpsStringBooleansAndValueArrays_WorksTheSame()
    {
        using var scim = await ArrangeAsync(portal);
        var client = scim.Client;
        var email = NewEmail("entra");
        Assert.True((await MapAsync(scim, "portal-viewers", TenantRole.Viewer)).IsSuccess);

        var none = await BodyAsync(await client.GetAsync($"/scim/v2/Users?filter=userName+eq+%22{email}%22"));
        Assert.Equal(0, none.GetProperty("totalResults").GetInt32());
        var created = await client.PostAsync("/scim/v2/Users", new StringContent(UserBody(email, "entra-object-id"), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await BodyAsync(created)).GetProperty("id").GetString()!;
        var byExternalId = await BodyAsync(await client.GetAsync("/scim/v2/Users?filter=externalId%20eq%20%22entra-object-id%22"));
        Assert.Equal(id, byExternalId.GetProperty("Resources")[0].GetProperty("id").GetString());
        var byEmail = await BodyAsync(await client.GetAsync($"/scim/v2/Users?filter=emails%5Btype%20eq%20%22work%22%5D.value%20eq%20%22{email}%22"));
        Assert.Equal(1, byEmail.GetProperty("totalResults").GetInt32());

        // Entra sends "Replace" with a path and a string boolean, and attributes the portal does not keep.
        var deactivated = await PatchAsync(client, $"/scim/v2/Users/{id}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"},{"op":"Replace","path":"title","value":"Engineer"},{"op":"Add","path":"name.givenName","value":"Annie"}]}""");
        Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        var body = await BodyAsync(deactivated);
        Assert.False(body.GetProperty("active").GetBoolean());
        Assert.Equal("Annie", body.GetProperty("name").GetProperty("givenName").GetString());
        Assert.Equal(ErrorCodes.Forbidden, (await EnterAsync(scim, email)).Error?.Code);
        var team = await InTenantAsync(portal, scim.TenantId, sp => sp.GetRequiredService<MemberService>()
            .ListAsync(new Actor(scim.Team.Owner.Id, scim.Team.Owner.Email), CancellationToken.None));
        Assert.NotNull(team.Value.Single(m => m.Email == email).SuspendedAt);

        var reactivated = await PatchAsync(client, $"/scim/v2/Users/{id}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"True"}]}""");
        Assert.True((await BodyAsync(reactivated)).GetProperty("active").GetBoolean());

        // Entra creates the group empty, then adds and removes members with value arrays.
        var group = await client.PostAsync("/scim/v2/Groups", Json("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Portal-Viewers","externalId":"g-1","members":[]}"""));
        var groupId = (await BodyAsync(group)).GetProperty("id").GetString();
        var byName = await BodyAsync(await client.GetAsync("/scim/v2/Groups?filter=displayName%20eq%20%22portal-viewers%22&excludedAttributes=members"));
        Assert.Equal(groupId, byName.GetProperty("Resources")[0].GetProperty("id").GetString());
        Assert.False(byName.GetProperty("Resources")[0].TryGetProperty("members", out _));
        var added = await PatchAsync(client, $"/scim/v2/Groups/{groupId}",
            $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"members","value":[{"value":"{{id}}"}]}]}""");
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal(TenantRole.Viewer, (await MemberAsync(portal, scim.TenantId, email))!.Role);
        var removed = await PatchAsync(client, $"/scim/v2/Groups/{groupId}",
            $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Remove","path":"members","value":[{"value":"{{id}}"}]}]}""");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal(TenantRole.Member, (await MemberAsync(portal, scim.TenantId, email))!.Role);

        var renamed = await PatchAsync(client, $"/scim/v2/Groups/{groupId}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"displayName","value":"Portal readers"}]}""");
        Assert.Equal("Portal readers", (await BodyAsync(renamed)).GetProperty("displayName").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/scim/v2/Groups/{groupId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/scim/v2/Users/{id}")).StatusCode);
        Assert.Null(await MemberAsync(portal, scim.TenantId, email));
    }

    [Fact]
    public async Task MappingChange_RecomputesTheRolesOfDirectoryMembers_ButNeverAnOwnerOrAMemberNoDirectoryManages()
    {
        using var scim = await ArrangeAsync(portal);
        var email = NewEmail("mapped");
        var id = (await BodyAsync(await scim.Client.PostAsync("/scim/v2/Users", Json(UserBody(email))))).GetProperty("id").GetString();
        var ownerMembership = await MemberAsync(portal, scim.TenantId, scim.Team.Owner.Email);
        await scim.Client.PostAsync("/scim/v2/Groups", Json($$"""{"displayName":"staff","members":[{"value":"{{id}}"},{"value":"{{ownerMembership!.Id}}"}]}"""));
        Assert.Equal(TenantRole.Member, (await MemberAsync(portal, scim.TenantId, email))!.Role);

        Assert.True((await MapAsync(scim, "STAFF", TenantRole.Admin)).IsSuccess);

        Assert.Equal(TenantRole.Admin, (await MemberAsync(portal, scim.TenantId, email))!.Role);
        Assert.Equal(TenantRole.Owner, (await MemberAsync(portal, scim.TenantId, scim.Team.Owner.Email))!.Role);
        Assert.Equal(TenantRole.Admin, (await MemberAsync(portal, scim.TenantId, scim.Team.Admin.Email))!.Role);
        var owner = await MapAsync(scim, "owners", TenantRole.Owner);
        Assert.Equal(ErrorCodes.Invalid, owner.Error?.Code);
    }

    [Fact]
    public async Task Create_OfSomeoneAlreadyAMember_AdoptsTheMembership_AndASecondCreateIsAConflict()
    {
        using var scim = await ArrangeAsync(portal);
        var existing = await MemberAsync(portal, scim.TenantId, scim.Team.Member.Email);

        var adopted = await scim.Client.PostAsync("/scim/v2/Users", Json(UserBody(scim.Team.Member.Email)));

        Assert.Equal(HttpStatusCode.Created, adopted.StatusCode);
        Assert.Equal(existing!.Id.ToString(), (await BodyAsync(adopted)).GetProperty("id").GetString());
        Assert.True((await MemberAsync(portal, scim.TenantId, scim.Team.Member.Email))!.IsDirectoryLinked);
        await AssertScimErrorAsync(await scim.Client.PostAsync("/scim/v2/Users", Json(UserBody(scim.Team.Member.Email))), 409, "uniqueness");
    }

    [Fact]
    public async Task Create_WhenEverySeatIsTaken_Is403SeatLimitReached_AndAddsNobody()
    {
        using var scim = await ArrangeAsync(portal);
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TenantPortal.Data.PortalDbContext>();
            scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(scim.TenantId);
            db.QuotaOverrides.Add(new QuotaOverride { TenantId = scim.TenantId, Metric = TenantPortal.Core.Usage.UsageMetric.Users, Limit = 3, Reason = "test", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }
        var email = NewEmail("seat");

        var body = await AssertScimErrorAsync(await scim.Client.PostAsync("/scim/v2/Users", Json(UserBody(email))), 403, "seatLimitReached");

        Assert.Contains("seats", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Null(await MemberAsync(portal, scim.TenantId, email));
        await using var check = portal.Services.CreateAsyncScope();
        var users = check.ServiceProvider.GetRequiredService<TenantPortal.Data.PortalDbContext>().Users;
        Assert.False(await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(users, u => u.NormalizedEmail == email.ToUpperInvariant()));
    }

    [Fact]
    public async Task TheLastOwner_CantBeSuspendedOrRemoved_ByTheDirectory()
    {
        using var scim = await ArrangeAsync(portal);
        var owner = await MemberAsync(portal, scim.TenantId, scim.Team.Owner.Email);

        await AssertScimErrorAsync(await PatchAsync(scim.Client, $"/scim/v2/Users/{owner!.Id}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false}]}"""), 400, "mutability");
        await AssertScimErrorAsync(await scim.Client.DeleteAsync($"/scim/v2/Users/{owner.Id}"), 400, "mutability");

        var after = await MemberAsync(portal, scim.TenantId, scim.Team.Owner.Email);
        Assert.False(after!.IsSuspended);
        Assert.Equal(TenantRole.Owner, after.Role);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("tp_scim_not-a-real-token-0000000000000000000")]
    [InlineData("tp_live_0000000000000000000000000000000000")]
    public async Task AnyRoute_WithoutAValidToken_Is401WithAScimErrorBody(string? token)
    {
        using var client = ClientWith(portal, token);

        var response = await client.GetAsync("/scim/v2/Users");

        await AssertScimErrorAsync(response, 401, null);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task ARevokedToken_Is401_AndItsRevocationIsAudited()
    {
        using var scim = await ArrangeAsync(portal);
        Assert.Equal(HttpStatusCode.OK, (await scim.Client.GetAsync("/scim/v2/Users")).StatusCode);
        var tokens = await InTenantAsync(portal, scim.TenantId, sp => sp.GetRequiredService<ScimTokenService>()
            .ListAsync(new Actor(scim.Team.Admin.Id, scim.Team.Admin.Email), CancellationToken.None));
        Assert.NotNull(tokens.Value.Single().LastUsedAt);

        var revoked = await InTenantAsync(portal, scim.TenantId, sp => sp.GetRequiredService<ScimTokenService>()
            .RevokeAsync(new Actor(scim.Team.Admin.Id, scim.Team.Admin.Email), tokens.Value.Single().Id, CancellationToken.None));

        Assert.True(revoked.IsSuccess);
        await AssertScimErrorAsync(await scim.Client.GetAsync("/scim/v2/Users"), 401, null);
        Assert.Contains(await ApiKeys.AuditAsync(portal, scim.Team.Slug), a => a.Action == AuditActions.ScimTokenRevoked && a.Actor == scim.Team.Admin.Email);
    }

    [Fact]
    public async Task AnotherTenantsIds_AreNotFound_AndNothingOfThemChanges()
    {
        using var mine = await ArrangeAsync(portal);
        using var theirs = await ArrangeAsync(portal);
        var theirMember = await MemberAsync(portal, theirs.TenantId, theirs.Team.Member.Email);
        var theirGroup = (await BodyAsync(await theirs.Client.PostAsync("/scim/v2/Groups", Json("""{"displayName":"theirs"}""")))).GetProperty("id").GetString();

        await AssertScimErrorAsync(await mine.Client.GetAsync($"/scim/v2/Users/{theirMember!.Id}"), 404, null);
        await AssertScimErrorAsync(await PatchAsync(mine.Client, $"/scim/v2/Users/{theirMember.Id}",
            """{"Operations":[{"op":"replace","path":"active","value":false}]}"""), 404, null);
        await AssertScimErrorAsync(await mine.Client.DeleteAsync($"/scim/v2/Users/{theirMember.Id}"), 404, null);
        await AssertScimErrorAsync(await mine.Client.GetAsync($"/scim/v2/Groups/{theirGroup}"), 404, null);
        await AssertScimErrorAsync(await mine.Client.DeleteAsync($"/scim/v2/Groups/{theirGroup}"), 404, null);
        // Their member can't be put in my group either.
        await AssertScimErrorAsync(await mine.Client.PostAsync("/scim/v2/Groups", Json($$"""{"displayName":"mine","members":[{"value":"{{theirMember.Id}}"}]}""")), 400, "invalidValue");
        var list = await BodyAsync(await mine.Client.GetAsync($"/scim/v2/Users?filter=userName%20eq%20%22{theirs.Team.Member.Email}%22"));
        Assert.Equal(0, list.GetProperty("totalResults").GetInt32());

        Assert.False((await MemberAsync(portal, theirs.TenantId, theirs.Team.Member.Email))!.IsSuspended);
        Assert.Equal(HttpStatusCode.OK, (await theirs.Client.GetAsync($"/scim/v2/Groups/{theirGroup}")).StatusCode);
    }

    [Fact]
    public async Task ATokenOfATenantWithoutTheScimEntitlement_Is403()
    {
        using var scim = await ArrangeAsync(portal);
        var starter = await Teams.CreateAsync(portal, SubscriptionTier.Starter);
        var starterId = await TenantIdAsync(portal, starter.Slug);
        var refused = await InTenantAsync(portal, starterId, sp => sp.GetRequiredService<ScimTokenService>()
            .CreateAsync(new Actor(starter.Admin.Id, starter.Admin.Email), "Okta", CancellationToken.None));
        Assert.Equal(ErrorCodes.FeatureNotIncluded, refused.Error?.Code);
        Assert.Equal("SCIM provisioning is not included in the Starter plan. Upgrade to Professional or Enterprise to use it.", refused.Error?.Message);
        // A token made while the plan had it: the tenant is moved to Starter.
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TenantPortal.Data.PortalDbContext>();
            scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(scim.TenantId);
            var tenant = db.Tenants.Single(t => t.Id == scim.TenantId);
            db.Entry(tenant).Property(t => t.Tier).CurrentValue = SubscriptionTier.Starter;
            await db.SaveChangesAsync();
            scope.ServiceProvider.GetRequiredService<TenantPortal.Data.Services.Entitlements.EntitlementCache>().Invalidate(scim.TenantId);
        }

        var body = await AssertScimErrorAsync(await scim.Client.GetAsync("/scim/v2/Users"), 403, null);
        await AssertScimErrorAsync(await scim.Client.PostAsync("/scim/v2/Users", Json(UserBody(NewEmail("late")))), 403, null);
        await AssertScimErrorAsync(await scim.Client.GetAsync("/scim/v2/ServiceProviderConfig"), 403, null);

        Assert.Contains("not included", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("title eq \"x\"")]
    [InlineData("userName sw \"ann\"")]
    [InlineData("userName eq \"a\" and active eq true")]
    [InlineData("userName eq ann")]
    public async Task List_WithAFilterItDoesNotSupport_Is400InvalidFilter(string filter)
    {
        using var scim = await ArrangeAsync(portal);

        await AssertScimErrorAsync(await scim.Client.GetAsync($"/scim/v2/Users?filter={Uri.EscapeDataString(filter)}"), 400, "invalidFilter");
    }

    [Theory]
    [InlineData("{\"userName\":")]
    [InlineData("[1,2]")]
    [InlineData("")]
    public async Task Create_WithABodyThatIsNotAJsonObject_Is400InvalidSyntax(string body)
    {
        using var scim = await ArrangeAsync(portal);

        await AssertScimErrorAsync(await scim.Client.PostAsync("/scim/v2/Users", Json(body)), 400, "invalidSyntax");
    }

    [Theory]
    [InlineData("{\"userName\":\"not-an-email\"}", "invalidValue")]
    [InlineData("{\"userName\":42}", "invalidValue")]
    [InlineData("{\"userName\":\"a@b.test\",\"active\":\"maybe\"}", "invalidValue")]
    public async Task Create_WithABadAttribute_Is400NamingIt(string body, string scimType)
    {
        using var scim = await ArrangeAsync(portal);

        await AssertScimErrorAsync(await scim.Client.PostAsync("/scim/v2/Users", Json(body)), 400, scimType);
    }

    [Fact]
    public async Task Patch_ChangingTheUserName_Is400Mutability()
    {
        using var scim = await ArrangeAsync(portal);
        var id = (await BodyAsync(await scim.Client.PostAsync("/scim/v2/Users", Json(UserBody(NewEmail("fixed")))))).GetProperty("id").GetString();

        await AssertScimErrorAsync(await PatchAsync(scim.Client, $"/scim/v2/Users/{id}",
            """{"Operations":[{"op":"replace","path":"userName","value":"other@directory.test"}]}"""), 400, "mutability");
    }

    [Fact]
    public async Task Discovery_SaysWhatIsSupported()
    {
        using var scim = await ArrangeAsync(portal);

        var config = await BodyAsync(await scim.Client.GetAsync("/scim/v2/ServiceProviderConfig"));
        var types = await BodyAsync(await scim.Client.GetAsync("/scim/v2/ResourceTypes"));
        var schemas = await BodyAsync(await scim.Client.GetAsync("/scim/v2/Schemas"));

        Assert.True(config.GetProperty("patch").GetProperty("supported").GetBoolean());
        Assert.False(config.GetProperty("bulk").GetProperty("supported").GetBoolean());
        Assert.True(config.GetProperty("filter").GetProperty("supported").GetBoolean());
        Assert.Equal(ScimUserService.MaxResults, config.GetProperty("filter").GetProperty("maxResults").GetInt32());
        Assert.False(config.GetProperty("sort").GetProperty("supported").GetBoolean());
        Assert.False(config.GetProperty("changePassword").GetProperty("supported").GetBoolean());
        Assert.Equal(["User", "Group"], types.GetProperty("Resources").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(2, schemas.GetProperty("totalResults").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await scim.Client.GetAsync("/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User")).StatusCode);
    }

    [Fact]
    public async Task List_PagesWithStartIndexAndCount()
    {
        using var scim = await ArrangeAsync(portal);

        var page = await BodyAsync(await scim.Client.GetAsync("/scim/v2/Users?startIndex=2&count=1"));

        Assert.Equal(3, page.GetProperty("totalResults").GetInt32());
        Assert.Equal(2, page.GetProperty("startIndex").GetInt32());
        Assert.Equal(1, page.GetProperty("itemsPerPage").GetInt32());
        Assert.Equal(scim.Team.Admin.Email, page.GetProperty("Resources")[0].GetProperty("userName").GetString());
        await AssertScimErrorAsync(await scim.Client.GetAsync("/scim/v2/Users?count=many"), 400, "invalidValue");
    }
}
