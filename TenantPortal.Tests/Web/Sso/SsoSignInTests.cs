using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Data.Identity;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Security.Sso;

namespace TenantPortal.Tests.Web.Sso;

/// <summary>
/// Single sign-on against a real OpenID Connect provider (OpenIddict) in the test process: the email-first log-in page,
/// the per-tenant handler options, the callback's checks, the just-in-time account and membership, "require SSO".
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class SsoSignInTests(PortalAppFactory portal) : IAsyncLifetime
{
    private TestOidcProvider _idp = default!;

    public async Task InitializeAsync() => _idp = await TestOidcProvider.StartAsync();

    public async Task DisposeAsync() => await _idp.DisposeAsync();

    [Fact]
    public async Task FirstSignIn_CreatesTheAccountAndMembership_AndTheSecondReusesThem()
    {
        var sso = await SsoTestBed.CreateAsync(portal, _idp);
        var email = $"jit-{Guid.NewGuid():N}@{sso.Domain}";

        using (var first = portal.CreateBrowserLikeClient())
        {
            var (final, visited) = await SsoTestBed.SignInAsync(first, email);
            Assert.Contains(visited, u => u.Port == _idp.Issuer.Port && u.AbsolutePath == "/connect/authorize");
            Assert.Equal($"/t/{sso.Team.Slug}", SsoTestBed.Landing(visited));
            Assert.Equal(HttpStatusCode.OK, final.StatusCode);
        }
        var user = await FindUserAsync(email);
        Assert.NotNull(user);
        Assert.True(user.EmailConfirmed);
        Assert.Null(user.PasswordHash);
        Assert.Equal(TenantRole.Member, await Teams.RoleAsync(portal, sso.Team.Slug, user.Id));
        Assert.Contains(await LoginsAsync(user), l => l.LoginProvider == TenantSso.LoginProvider(sso.ConnectionId) && l.ProviderKey == $"sub-{email}");
        Assert.Equal(1, await SessionsAsync(user.Id));
        var added = (await ApiKeys.AuditAsync(portal, sso.Team.Slug)).Where(a => a.Action == AuditActions.MemberAdded && a.Target == $"member:{email}").ToList();
        Assert.Single(added);
        Assert.Contains("single sign-on", added[0].Details);

        using (var second = portal.CreateBrowserLikeClient())
        {
            var (final, visited) = await SsoTestBed.SignInAsync(second, email);
            Assert.Equal($"/t/{sso.Team.Slug}", SsoTestBed.Landing(visited));
            Assert.Equal(HttpStatusCode.OK, final.StatusCode);
        }
        Assert.Equal(user.Id, (await FindUserAsync(email))!.Id);
        Assert.Single(await ApiKeys.AuditAsync(portal, sso.Team.Slug), a => a.Action == AuditActions.MemberAdded && a.Target == $"member:{email}");
        Assert.Equal(2, await SessionsAsync(user.Id));
    }

    [Fact]
    public async Task SignIn_IsRefused_WhenTheTokenComesFromAnotherIssuer()
    {
        // The connection names the provider as localhost; the provider's tokens say 127.0.0.1.
        var sso = await SsoTestBed.CreateAsync(portal, _idp, issuer: _idp.OtherName);
        var email = $"issuer-{Guid.NewGuid():N}@{sso.Domain}";
        using var client = portal.CreateBrowserLikeClient();

        var (final, visited) = await SsoTestBed.SignInAsync(client, email);

        Assert.Equal(1, _idp.Authorizations);
        Assert.Equal($"/Account/Login?{SsoErrors.QueryKey}={SsoErrors.Failed}", SsoTestBed.Landing(visited));
        Assert.Contains("could not be accepted", WebUtility.HtmlDecode(await final.Content.ReadAsStringAsync()));
        Assert.Null(await FindUserAsync(email));
    }

    [Fact]
    public async Task SignIn_IsRefused_WhenTheTokenIsForAnotherClient()
    {
        var sso = await SsoTestBed.CreateAsync(portal, _idp);
        _idp.IdentityTokenAudience = "another-client";
        var email = $"audience-{Guid.NewGuid():N}@{sso.Domain}";
        using var client = portal.CreateBrowserLikeClient();

        var (final, visited) = await SsoTestBed.SignInAsync(client, email);

        Assert.Equal(1, _idp.Authorizations);
        Assert.Equal($"/Account/Login?{SsoErrors.QueryKey}={SsoErrors.Failed}", SsoTestBed.Landing(visited));
        Assert.Equal(HttpStatusCode.OK, final.StatusCode);
        Assert.Null(await FindUserAsync(email));
    }

    [Fact]
    public async Task SignIn_IsRefusedWithAClearMessage_WhenTheProviderNamesAnEmailOutsideTheAllowedDomains()
    {
        var sso = await SsoTestBed.CreateAsync(portal, _idp);
        var outsider = $"outsider-{Guid.NewGuid():N}@elsewhere.test";
        _idp.Identify = _ => new TestOidcProvider.Person($"sub-{outsider}", outsider);
        using var client = portal.CreateBrowserLikeClient();

        var (final, visited) = await SsoTestBed.SignInAsync(client, $"someone@{sso.Domain}");

        Assert.Equal($"/Account/Login?{SsoErrors.QueryKey}={SsoErrors.Domain}", SsoTestBed.Landing(visited));
        Assert.Equal(HttpStatusCode.OK, final.StatusCode);
        Assert.Contains("outside the domains this workspace allows", WebUtility.HtmlDecode(await final.Content.ReadAsStringAsync()));
        Assert.Null(await FindUserAsync(outsider));
    }

    [Fact]
    public async Task SignIn_IsRefused_WhenTheProviderSaysTheEmailIsNotVerified()
    {
        var sso = await SsoTestBed.CreateAsync(portal, _idp);
        _idp.Identify = hint => new TestOidcProvider.Person($"sub-{hint}", hint!, EmailVerified: false);
        var email = $"unverified-{Guid.NewGuid():N}@{sso.Domain}";
        using var client = portal.CreateBrowserLikeClient();

        var (_, visited) = await SsoTestBed.SignInAsync(client, email);

        Assert.Equal($"/Account/Login?{SsoErrors.QueryKey}={SsoErrors.EmailUnverified}", SsoTestBed.Landing(visited));
        Assert.Null(await FindUserAsync(email));
    }

    [Fact]
    public async Task TwoTenants_EachSignsInThroughItsOwnClient_AndLandsInItsOwnWorkspace()
    {
        var first = await SsoTestBed.CreateAsync(portal, _idp);
        var second = await SsoTestBed.CreateAsync(portal, _idp);
        var alice = $"alice-{Guid.NewGuid():N}@{first.Domain}";
        var bob = $"bob-{Guid.NewGuid():N}@{second.Domain}";

        using var aliceClient = portal.CreateBrowserLikeClient();
        using var bobClient = portal.CreateBrowserLikeClient();
        var (_, aliceVisited) = await SsoTestBed.SignInAsync(aliceClient, alice);
        var (_, bobVisited) = await SsoTestBed.SignInAsync(bobClient, bob);

        Assert.Contains(aliceVisited, u => u.Query.Contains($"client_id={first.ClientId}", StringComparison.Ordinal));
        Assert.Contains(bobVisited, u => u.Query.Contains($"client_id={second.ClientId}", StringComparison.Ordinal));
        Assert.Equal($"/t/{first.Team.Slug}", SsoTestBed.Landing(aliceVisited));
        Assert.Equal($"/t/{second.Team.Slug}", SsoTestBed.Landing(bobVisited));
        Assert.NotNull(await Teams.RoleAsync(portal, first.Team.Slug, (await FindUserAsync(alice))!.Id));
        Assert.Null(await Teams.RoleAsync(portal, second.Team.Slug, (await FindUserAsync(alice))!.Id));
        Assert.NotNull(await Teams.RoleAsync(portal, second.Team.Slug, (await FindUserAsync(bob))!.Id));
    }

    [Fact]
    public async Task Callback_OfAnotherConnection_RefusesAStateBegunForThisOne()
    {
        var first = await SsoTestBed.CreateAsync(portal, _idp);
        var second = await SsoTestBed.CreateAsync(portal, _idp);
        using var client = portal.CreateBrowserLikeClient();
        var posted = await AccountClient.LogInAsync(client, $"x-{Guid.NewGuid():N}@{first.Domain}", "");
        var (atProvider, visited) = await SsoTestBed.FollowAsync(client, posted, limit: 2);
        var authorize = visited.Single(u => u.Port == _idp.Issuer.Port);
        var answer = atProvider.StatusCode == HttpStatusCode.Redirect ? atProvider.Headers.Location! : null;
        Assert.NotNull(answer);
        Assert.Contains(TenantSso.CallbackPath(first.ConnectionId), answer.ToString());

        // The provider's answer for the first connection, delivered to the second's callback.
        var misdelivered = new Uri(portal.ServerAddress, TenantSso.CallbackPath(second.ConnectionId) + answer.Query);
        var (_, after) = await SsoTestBed.FollowAsync(client, await client.GetAsync(misdelivered));

        Assert.NotNull(authorize);
        Assert.StartsWith("/Account/Login?sso_error=", SsoTestBed.Landing(after));
    }

    [Fact]
    public async Task RequireSso_RefusesAMembersPassword_AndPointsToSso()
    {
        var sso = await SsoTestBed.CreateAsync(portal, _idp, requireSso: true);
        var member = await WithPasswordAsync(sso.Team.Member.Id);
        using var client = portal.CreateBrowserLikeClient();

        var response = await AccountClient.LogInAsync(client, sso.Team.Member.Email, member);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("requires single sign-on", page);
        Assert.Contains(TenantSso.StartPath(sso.ConnectionId), page);
        Assert.Equal(0, await SessionsAsync(sso.Team.Member.Id));
    }

    [Fact]
    public async Task RequireSso_LetsTheOwnerUseTheBreakGlassPassword_AndAuditsIt()
    {
        var sso = await SsoTestBed.CreateAsync(portal, _idp, requireSso: true);
        var password = await WithPasswordAsync(sso.Team.Owner.Id);
        using var client = portal.CreateBrowserLikeClient();

        var response = await AccountClient.LogInAsync(client, sso.Team.Owner.Email, password, $"/t/{sso.Team.Slug}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal($"/t/{sso.Team.Slug}", location.IsAbsoluteUri ? location.PathAndQuery : location.ToString());
        var breakGlass = (await ApiKeys.AuditAsync(portal, sso.Team.Slug)).Where(a => a.Action == AuditActions.SsoBreakGlassUsed).ToList();
        Assert.Single(breakGlass);
        Assert.Equal(sso.Team.Owner.Id, breakGlass[0].ActorUserId);
    }

    [Fact]
    public async Task Password_StillWorksForMembers_WhenSsoIsOnButNotRequired()
    {
        var sso = await SsoTestBed.CreateAsync(portal, _idp, requireSso: false);
        var password = await WithPasswordAsync(sso.Team.Member.Id);
        using var client = portal.CreateBrowserLikeClient();

        var response = await AccountClient.LogInAsync(client, sso.Team.Member.Email, password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(0, _idp.Authorizations);
        Assert.DoesNotContain(await ApiKeys.AuditAsync(portal, sso.Team.Slug), a => a.Action == AuditActions.SsoBreakGlassUsed);
    }

    [Fact]
    public async Task Operator_IsNeverSentToATenantsProvider_AndJustInTimeRefusesTheirAccount()
    {
        var sso = await SsoTestBed.CreateAsync(portal, _idp);
        var email = $"op-{Guid.NewGuid():N}@{sso.Domain}";
        await CreateOperatorAsync(email);
        using var client = portal.CreateBrowserLikeClient();

        var emailFirst = await AccountClient.LogInAsync(client, email, "");
        Assert.Equal(HttpStatusCode.OK, emailFirst.StatusCode);
        Assert.Contains("Enter your password", WebUtility.HtmlDecode(await emailFirst.Content.ReadAsStringAsync()));
        Assert.Equal(0, _idp.Authorizations);

        // Even when someone reaches the provider directly, the provider's word does not sign in an operator.
        var (_, visited) = await SsoTestBed.FollowAsync(client, await client.GetAsync(TenantSso.StartPath(sso.ConnectionId) + "?email=" + Uri.EscapeDataString(email)));
        Assert.Equal($"/Account/Login?{SsoErrors.QueryKey}={SsoErrors.Operator}", SsoTestBed.Landing(visited));
        Assert.Equal(0, await SessionsAsync((await FindUserAsync(email))!.Id));
    }

    [Fact]
    public async Task FreePlan_IsNotSentToItsProvider_EvenWithAConnectionStored()
    {
        var sso = await SsoTestBed.CreateAsync(portal, _idp);
        await SetTierAsync(sso.Team.Slug, SubscriptionTier.Free);
        using var client = portal.CreateBrowserLikeClient();

        var emailFirst = await AccountClient.LogInAsync(client, $"free-{Guid.NewGuid():N}@{sso.Domain}", "");
        var (_, visited) = await SsoTestBed.FollowAsync(client, await client.GetAsync(TenantSso.StartPath(sso.ConnectionId)));

        Assert.Equal(HttpStatusCode.OK, emailFirst.StatusCode);
        Assert.Contains("Enter your password", WebUtility.HtmlDecode(await emailFirst.Content.ReadAsStringAsync()));
        Assert.Equal($"/Account/Login?{SsoErrors.QueryKey}={SsoErrors.Unavailable}", SsoTestBed.Landing(visited));
        Assert.Equal(0, _idp.Authorizations);
    }

    [Fact]
    public async Task SeatLimit_RefusesTheNewMemberWithAMessage_AndCreatesNoMembership()
    {
        // Free allows few seats; Professional is needed for SSO, so the seats are filled instead.
        var sso = await SsoTestBed.CreateAsync(portal, _idp);
        await FillSeatsAsync(sso.Team.Slug);
        var email = $"late-{Guid.NewGuid():N}@{sso.Domain}";
        using var client = portal.CreateBrowserLikeClient();

        var (final, visited) = await SsoTestBed.SignInAsync(client, email);

        Assert.Equal($"/Account/Login?{SsoErrors.QueryKey}={SsoErrors.Seats}", SsoTestBed.Landing(visited));
        Assert.Contains("no free seat", WebUtility.HtmlDecode(await final.Content.ReadAsStringAsync()));
        Assert.Null(await Teams.RoleAsync(portal, sso.Team.Slug, (await FindUserAsync(email))!.Id));
    }

    [Fact]
    public async Task Disabling_StopsSendingPeopleToTheProvider_OnTheNextRequest()
    {
        var sso = await SsoTestBed.CreateAsync(portal, _idp);
        var disabled = await SsoTestBed.AsAsync(portal, sso.Team.Slug, sso.Team.Admin, (s, actor) => s.DisableAsync(actor, CancellationToken.None));
        Assert.True(disabled.IsSuccess);
        using var client = portal.CreateBrowserLikeClient();

        var (_, visited) = await SsoTestBed.FollowAsync(client, await client.GetAsync(TenantSso.StartPath(sso.ConnectionId)));

        Assert.Equal($"/Account/Login?{SsoErrors.QueryKey}={SsoErrors.Unavailable}", SsoTestBed.Landing(visited));
        Assert.Equal(0, _idp.Authorizations);
        Assert.Contains(await ApiKeys.AuditAsync(portal, sso.Team.Slug), a => a.Action == AuditActions.SsoDisabled);
    }

    private async Task<PortalUser?> FindUserAsync(string email)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email);
    }

    private async Task<IList<UserLoginInfo>> LoginsAsync(PortalUser user)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        return await users.GetLoginsAsync((await users.FindByIdAsync(user.Id))!);
    }

    private async Task<int> SessionsAsync(string userId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return await db.UserSessions.CountAsync(s => s.UserId == userId && s.RevokedAt == null);
    }

    private async Task<string> WithPasswordAsync(string userId)
    {
        const string password = "Sso-Break-Glass-2026";
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        Assert.True((await users.AddPasswordAsync((await users.FindByIdAsync(userId))!, password)).Succeeded);
        return password;
    }

    private async Task CreateOperatorAsync(string email)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTimeOffset.UtcNow };
        Assert.True((await users.CreateAsync(user, "Operator-Sso-Test-2026")).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, TenantPortal.Core.Authorization.PortalRoles.Operator)).Succeeded);
    }

    private async Task SetTierAsync(string slug, SubscriptionTier tier)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        await db.Tenants.Where(t => t.Slug == slug).ExecuteUpdateAsync(s => s.SetProperty(t => t.Tier, tier));
        // The entitlement cache follows tier changes through the services; a direct update tells it here.
        scope.ServiceProvider.GetRequiredService<TenantPortal.Data.Services.Entitlements.EntitlementCache>().InvalidateAll();
    }

    private async Task FillSeatsAsync(string slug)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        var tenantId = await db.Tenants.Where(t => t.Slug == slug).Select(t => t.Id).SingleAsync();
        db.QuotaOverrides.Add(new QuotaOverride { TenantId = tenantId, Metric = TenantPortal.Core.Usage.UsageMetric.Users, Limit = 3, Reason = "test: seats full", CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }
}
