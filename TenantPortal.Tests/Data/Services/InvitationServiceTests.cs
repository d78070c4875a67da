using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Common;
using TenantPortal.Core.Invitations;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Invitations;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

public abstract class InvitationServiceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : InvitationServiceTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : InvitationServiceTests(DatabaseProvider.PostgreSql);

    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);

    public Task InitializeAsync() => _bed.InitializeAsync();
    public Task DisposeAsync() => _bed.DisposeAsync();

    private async Task<string> InviteAsync(string email, TenantRole role = TenantRole.Member, int? days = null)
    {
        var result = await _bed.In(_bed.AlphaId).Invitations.CreateAsync(_bed.ActorOf("admin"), new InviteRequest(email, role, days), _bed.AcceptUrl, CancellationToken.None);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return TenancyTestBed.TokenFrom(_bed.Mail.Sent.Last(m => m.To == email).TextBody);
    }

    private async Task<Actor> NewUserAsync(string email)
    {
        await using var db = _bed.Database.CrossTenant();
        var user = new TenantPortal.Data.Identity.PortalUser { UserName = email, Email = email, NormalizedEmail = email.ToUpperInvariant() };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return new Actor(user.Id, email);
    }

    [Fact]
    public async Task Create_EmailsALinkWhoseTokenIsStoredOnlyAsAHash()
    {
        var token = await InviteAsync("new@example.test");

        Assert.True(token.Length >= 22, "A token carries at least 128 bits.");
        await using var db = _bed.Database.CrossTenant();
        var invitation = await db.Invitations.SingleAsync(i => i.Email == "new@example.test");
        Assert.Equal(SecretHasher.Sha256Hex(token), invitation.TokenHash);
        Assert.DoesNotContain(token, invitation.TokenHash);
        Assert.Equal(_bed.Time.GetUtcNow().AddDays(7), invitation.ExpiresAt);
        Assert.Contains(await db.AuditEntries.Select(a => a.Action).ToListAsync(), a => a == "invitation.created");
    }

    [Fact]
    public async Task Accept_JoinsTheTenantWithTheInvitedRole()
    {
        var token = await InviteAsync("new@example.test", TenantRole.Viewer);
        var user = await NewUserAsync("new@example.test");

        var joined = await _bed.In(null).Acceptance.AcceptAsync(token, user, "NEW@example.test", CancellationToken.None);

        Assert.True(joined.IsSuccess, joined.Error?.Message);
        Assert.Equal((TenancyTestBed.AlphaSlug, TenantRole.Viewer), (joined.Value.Slug, joined.Value.Role));
        Assert.Equal(TenantRole.Viewer, (await _bed.In(null).Access.CheckAsync(_bed.AlphaId, user.UserId, CancellationToken.None))?.Role);
    }

    [Fact]
    public async Task Accept_IsRefused_WhenExpired()
    {
        var token = await InviteAsync("late@example.test", days: 1);
        var user = await NewUserAsync("late@example.test");
        _bed.Time.Advance(TimeSpan.FromDays(1));

        var preview = await _bed.In(null).Acceptance.PreviewAsync(token, CancellationToken.None);
        var joined = await _bed.In(null).Acceptance.AcceptAsync(token, user, user.Display, CancellationToken.None);

        Assert.Equal(ErrorCodes.InvitationExpired, preview.Error?.Code);
        Assert.Equal(ErrorCodes.InvitationExpired, joined.Error?.Code);
    }

    [Fact]
    public async Task Accept_IsRefused_WhenRevoked()
    {
        var token = await InviteAsync("gone@example.test");
        var user = await NewUserAsync("gone@example.test");
        var id = (await _bed.In(_bed.AlphaId).Invitations.ListPendingAsync(_bed.ActorOf("admin"), CancellationToken.None)).Value.Single(i => i.Email == "gone@example.test").Id;
        Assert.True((await _bed.In(_bed.AlphaId).Invitations.RevokeAsync(_bed.ActorOf("admin"), id, CancellationToken.None)).IsSuccess);

        var joined = await _bed.In(null).Acceptance.AcceptAsync(token, user, user.Display, CancellationToken.None);

        Assert.Equal(ErrorCodes.InvitationRevoked, joined.Error?.Code);
    }

    [Fact]
    public async Task Accept_IsRefused_TheSecondTime()
    {
        var token = await InviteAsync("twice@example.test");
        var user = await NewUserAsync("twice@example.test");
        Assert.True((await _bed.In(null).Acceptance.AcceptAsync(token, user, user.Display, CancellationToken.None)).IsSuccess);

        var again = await _bed.In(null).Acceptance.AcceptAsync(token, user, user.Display, CancellationToken.None);

        Assert.Equal(ErrorCodes.InvitationUsed, again.Error?.Code);
    }

    [Fact]
    public async Task Accept_IsRefused_ForAnotherEmail_AndChangesNothing()
    {
        var token = await InviteAsync("right@example.test");
        var wrong = await NewUserAsync("wrong@example.test");

        var joined = await _bed.In(null).Acceptance.AcceptAsync(token, wrong, wrong.Display, CancellationToken.None);

        Assert.Equal(ErrorCodes.EmailMismatch, joined.Error?.Code);
        Assert.Null(await _bed.In(null).Access.CheckAsync(_bed.AlphaId, wrong.UserId, CancellationToken.None));
        Assert.True((await _bed.In(null).Acceptance.PreviewAsync(token, CancellationToken.None)).IsSuccess);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    public async Task Preview_IsRefusedClearly_ForAnUnknownToken(string token)
    {
        var preview = await _bed.In(null).Acceptance.PreviewAsync(token, CancellationToken.None);

        Assert.Equal(ErrorCodes.InvitationInvalid, preview.Error?.Code);
    }

    [Fact]
    public async Task Resend_IssuesANewLink_AndTheOldOneStopsWorking()
    {
        var oldToken = await InviteAsync("again@example.test");
        var id = (await _bed.In(_bed.AlphaId).Invitations.ListPendingAsync(_bed.ActorOf("admin"), CancellationToken.None)).Value.Single(i => i.Email == "again@example.test").Id;

        var resent = await _bed.In(_bed.AlphaId).Invitations.ResendAsync(_bed.ActorOf("admin"), id, _bed.AcceptUrl, CancellationToken.None);

        Assert.Equal(2, resent.Value.SendCount);
        var newToken = TenancyTestBed.TokenFrom(_bed.Mail.Sent.Last().TextBody);
        Assert.NotEqual(oldToken, newToken);
        Assert.Equal(ErrorCodes.InvitationInvalid, (await _bed.In(null).Acceptance.PreviewAsync(oldToken, CancellationToken.None)).Error?.Code);
        Assert.True((await _bed.In(null).Acceptance.PreviewAsync(newToken, CancellationToken.None)).IsSuccess);
    }

    [Fact]
    public async Task Create_IsRefused_ForAnExistingMember()
    {
        var result = await _bed.In(_bed.AlphaId).Invitations.CreateAsync(_bed.ActorOf("admin"), new InviteRequest("Member@Alpha.test", TenantRole.Viewer), _bed.AcceptUrl, CancellationToken.None);

        Assert.Equal(ErrorCodes.AlreadyMember, result.Error?.Code);
        Assert.Equal("email", result.Error?.Field);
    }

    [Fact]
    public async Task Create_IsRefused_WhenAPendingInvitationExists()
    {
        var result = await _bed.In(_bed.AlphaId).Invitations.CreateAsync(_bed.ActorOf("admin"), new InviteRequest(TenancyTestBed.PendingInviteEmail, TenantRole.Viewer), _bed.AcceptUrl, CancellationToken.None);

        Assert.Equal(ErrorCodes.AlreadyInvited, result.Error?.Code);
    }

    [Theory]
    [InlineData("", 7, "email")]
    [InlineData("not-an-email", 7, "email")]
    [InlineData("ok@example.test", 0, "expiresInDays")]
    [InlineData("ok@example.test", 31, "expiresInDays")]
    public async Task Create_RefusesBadInput_NamingTheField(string email, int days, string field)
    {
        var result = await _bed.In(_bed.AlphaId).Invitations.CreateAsync(_bed.ActorOf("admin"), new InviteRequest(email, TenantRole.Viewer, days), _bed.AcceptUrl, CancellationToken.None);

        Assert.Equal(field, result.Error?.Field);
        Assert.Empty(_bed.Mail.Sent);
    }

    [Fact]
    public async Task Create_RefusesARoleAboveTheInvitersOwn()
    {
        var result = await _bed.In(_bed.AlphaId).Invitations.CreateAsync(_bed.ActorOf("admin"), new InviteRequest("boss@example.test", TenantRole.Owner), _bed.AcceptUrl, CancellationToken.None);

        Assert.Equal(ErrorCodes.RoleEscalation, result.Error?.Code);
    }

    [Fact]
    public async Task SeatQuota_RefusesInvitingAndAccepting_WhenThePlanIsFull()
    {
        // Move alpha to Free (5 seats); it has 6 members. The pending invitation can't be accepted either.
        await using (var db = _bed.Database.CrossTenant())
        {
            var alpha = await db.Tenants.SingleAsync(t => t.Id == _bed.AlphaId);
            alpha.ChangeTierByOperator(SubscriptionTier.Free, _bed.Time.GetUtcNow());
            await db.SaveChangesAsync();
        }
        var user = await NewUserAsync(TenancyTestBed.PendingInviteEmail);

        var invite = await _bed.In(_bed.AlphaId).Invitations.CreateAsync(_bed.ActorOf("admin"), new InviteRequest("seat@example.test", TenantRole.Viewer), _bed.AcceptUrl, CancellationToken.None);
        var accept = await _bed.In(null).Acceptance.AcceptAsync("seeded-token", user, user.Display, CancellationToken.None);

        Assert.Equal(ErrorCodes.SeatLimitReached, invite.Error?.Code);
        Assert.Equal(ErrorCodes.SeatLimitReached, accept.Error?.Code);
        await using var check = _bed.Database.CrossTenant();
        Assert.Equal(InvitationStatus.Pending, (await check.Invitations.SingleAsync(i => i.Id == _bed.PendingInvitationId)).Status);
    }

    // Alpha is on Starter (10 seats) with 6 members and 1 pending invitation: 3 seats are free.
    private async Task<Result<InvitationRow>> TryInviteAsync(string email) =>
        await _bed.In(_bed.AlphaId).Invitations.CreateAsync(_bed.ActorOf("admin"), new InviteRequest(email, TenantRole.Viewer), _bed.AcceptUrl, CancellationToken.None);

    [Fact]
    public async Task Create_IsRefused_WhenPendingInvitationsHoldTheLastSeat()
    {
        foreach (var email in new[] { "one@example.test", "two@example.test", "three@example.test" })
            Assert.True((await TryInviteAsync(email)).IsSuccess);
        var sent = _bed.Mail.Sent.Count;

        var fourth = await TryInviteAsync("four@example.test");

        Assert.Equal(ErrorCodes.SeatLimitReached, fourth.Error?.Code);
        Assert.Equal("email", fourth.Error?.Field);
        Assert.Contains("pending", fourth.Error?.Message);
        Assert.Equal(sent, _bed.Mail.Sent.Count);
        await using var db = _bed.Database.CrossTenant();
        Assert.False(await db.Invitations.AnyAsync(i => i.Email == "four@example.test"));
    }

    [Fact]
    public async Task Create_CountsNoExpiredInvitation_AgainstTheSeats()
    {
        // A day later, three invitations take the free seats; six days after that, the seeded one (7 days) has expired.
        _bed.Time.Advance(TimeSpan.FromDays(1));
        foreach (var email in new[] { "one@example.test", "two@example.test", "three@example.test" })
            Assert.True((await TryInviteAsync(email)).IsSuccess);
        Assert.Equal(ErrorCodes.SeatLimitReached, (await TryInviteAsync("four@example.test")).Error?.Code);
        _bed.Time.Advance(TimeSpan.FromDays(6));

        var fourth = await TryInviteAsync("four@example.test");

        Assert.True(fourth.IsSuccess, fourth.Error?.Message);
        Assert.Equal(ErrorCodes.SeatLimitReached, (await TryInviteAsync("five@example.test")).Error?.Code);
    }

    [Fact]
    public async Task Create_CountsTheOperatorsSeatOverride()
    {
        await using (var db = _bed.Database.CrossTenant())
        {
            db.QuotaOverrides.Add(new QuotaOverride { TenantId = _bed.AlphaId, Metric = TenantPortal.Core.Usage.UsageMetric.Users, Limit = 8 });
            await db.SaveChangesAsync();
        }

        var first = await TryInviteAsync("one@example.test");
        var second = await TryInviteAsync("two@example.test");

        Assert.True(first.IsSuccess, first.Error?.Message);
        Assert.Equal(ErrorCodes.SeatLimitReached, second.Error?.Code);
    }

    [Fact]
    public async Task Create_GivesTheLastSeatToOneInviter_WhenSeveralInviteAtOnce()
    {
        Assert.True((await TryInviteAsync("one@example.test")).IsSuccess);
        Assert.True((await TryInviteAsync("two@example.test")).IsSuccess);

        // Each admin in their own scope (own contexts), as two circuits or API calls would be.
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            Task.Run(() => TryInviteAsync($"racer{i}@example.test"))));

        Assert.Single(results, r => r.IsSuccess);
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(ErrorCodes.SeatLimitReached, r.Error?.Code));
        var seats = await _bed.In(_bed.AlphaId).Invitations.SeatsAsync(_bed.ActorOf("admin"), CancellationToken.None);
        Assert.Equal((6, 4, (int?)0), (seats.Value.Members, seats.Value.PendingInvitations, seats.Value.Left));
    }

    [Fact]
    public async Task Resend_IsRefused_ForAnExpiredInvitation_WhenItsSeatWasTaken()
    {
        _bed.Time.Advance(TimeSpan.FromDays(8));
        foreach (var email in new[] { "one@example.test", "two@example.test", "three@example.test", "four@example.test" })
            Assert.True((await TryInviteAsync(email)).IsSuccess);

        var resent = await _bed.In(_bed.AlphaId).Invitations.ResendAsync(_bed.ActorOf("admin"), _bed.PendingInvitationId, _bed.AcceptUrl, CancellationToken.None);

        Assert.Equal(ErrorCodes.SeatLimitReached, resent.Error?.Code);
    }

    [Fact]
    public async Task Seats_CountsMembersAndPendingInvitations_AgainstThePlan()
    {
        var seats = await _bed.In(_bed.AlphaId).Invitations.SeatsAsync(_bed.ActorOf("admin"), CancellationToken.None);
        var forAMember = await _bed.In(_bed.AlphaId).Invitations.SeatsAsync(_bed.ActorOf("member"), CancellationToken.None);

        Assert.Equal((6, 1, 10m, (int?)3), (seats.Value.Members, seats.Value.PendingInvitations, seats.Value.Limit, seats.Value.Left));
        Assert.Equal(ErrorCodes.Forbidden, forAMember.Error?.Code);
    }

    [Fact]
    public async Task Accept_UsesATokenOnce_EvenWhenTwoRequestsRace()
    {
        var user = await NewUserAsync(TenancyTestBed.PendingInviteEmail);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Task.Run(() => _bed.In(null).Acceptance.AcceptAsync("seeded-token", user, user.Display, CancellationToken.None))));

        Assert.Single(results, r => r.IsSuccess);
        await using var db = _bed.Database.CrossTenant();
        Assert.Equal(1, await db.Members.CountAsync(m => m.UserId == user.UserId));
    }

    [Fact]
    public async Task Revoke_RefusesAnAdmin_ForAnInvitationAboveTheirRole()
    {
        var owners = _bed.In(_bed.AlphaId).Invitations;
        var invited = await owners.CreateAsync(_bed.ActorOf("owner"), new InviteRequest("co-owner@example.test", TenantRole.Owner), _bed.AcceptUrl, CancellationToken.None);

        var revoke = await _bed.In(_bed.AlphaId).Invitations.RevokeAsync(_bed.ActorOf("admin"), invited.Value.Id, CancellationToken.None);

        Assert.Equal(ErrorCodes.RoleEscalation, revoke.Error?.Code);
        Assert.Contains((await owners.ListPendingAsync(_bed.ActorOf("owner"), CancellationToken.None)).Value, i => i.Id == invited.Value.Id);
    }

    [Fact]
    public async Task Accept_LeavesTheScopeOutsideTheTenant_WhenRefused()
    {
        var wrong = await NewUserAsync("someone-else@example.test");
        var scope = _bed.In(null);

        var joined = await scope.Acceptance.AcceptAsync("seeded-token", wrong, wrong.Display, CancellationToken.None);

        Assert.False(joined.IsSuccess);
        Assert.Null(scope.Tenant.TenantId);
        Assert.False(scope.Tenant.IsCrossTenant);
    }

    [Fact]
    public async Task Accept_EntersTheTenant_WhenAccepted()
    {
        var user = await NewUserAsync(TenancyTestBed.PendingInviteEmail);
        var scope = _bed.In(null);

        Assert.True((await scope.Acceptance.AcceptAsync("seeded-token", user, user.Display, CancellationToken.None)).IsSuccess);

        Assert.Equal(_bed.AlphaId, scope.Tenant.TenantId);
        Assert.False(scope.Tenant.IsCrossTenant);
    }

    [Fact]
    public async Task Cleanup_ExpiresOverdueInvitations_OfEveryTenant_Once()
    {
        await InviteAsync("soon@example.test", days: 1);
        _bed.Time.Advance(TimeSpan.FromDays(2));
        var scope = _bed.In(null);
        var cleanup = new InvitationCleanupService(scope.Contexts, scope.Tenant, _bed.Time);

        var first = await cleanup.ExpireAsync(CancellationToken.None);
        var second = await cleanup.ExpireAsync(CancellationToken.None);

        Assert.Equal(1, first);
        Assert.Equal(0, second);
        await using var db = _bed.Database.CrossTenant();
        Assert.Equal(InvitationStatus.Expired, (await db.Invitations.SingleAsync(i => i.Email == "soon@example.test")).Status);
        Assert.Equal(InvitationStatus.Pending, (await db.Invitations.SingleAsync(i => i.Id == _bed.PendingInvitationId)).Status);
        Assert.DoesNotContain((await _bed.In(_bed.AlphaId).Invitations.ListPendingAsync(_bed.ActorOf("admin"), CancellationToken.None)).Value,
            i => i.Email == "soon@example.test");
    }

    [Fact]
    public async Task ListPending_ThroughAnApiKey_NeedsMembersRead_NotMembersWrite()
    {
        Actor Key(params string[] scopes) =>
            Actor.ForApiKey(new ApiKeyActor(_bed.AlphaKeyId, _bed.AlphaId, "seeded", "tp_live_seeded00", scopes), _bed.Users["admin"].Id, "admin@alpha.test", null);
        var invitations = _bed.In(_bed.AlphaId).Invitations;

        var reader = await invitations.ListPendingAsync(Key(TenantPortal.Core.ApiKeys.ApiKeyScopes.MembersRead), CancellationToken.None);
        var writer = await invitations.ListPendingAsync(Key(TenantPortal.Core.ApiKeys.ApiKeyScopes.MembersWrite), CancellationToken.None);

        Assert.Contains(reader.Value, i => i.Id == _bed.PendingInvitationId);
        Assert.Equal(ErrorCodes.MissingScope, writer.Error?.Code);
    }
}
