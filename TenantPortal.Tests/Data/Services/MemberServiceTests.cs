using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Members;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

public abstract class MemberServiceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : MemberServiceTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : MemberServiceTests(DatabaseProvider.PostgreSql);

    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);

    public Task InitializeAsync() => _bed.InitializeAsync();
    public Task DisposeAsync() => _bed.DisposeAsync();

    private async Task<TenantRole?> RoleOf(string name) =>
        (await _bed.In(null).Access.CheckAsync(_bed.AlphaId, _bed.Users[name].Id, CancellationToken.None))?.Role;

    [Fact]
    public async Task List_ShowsTheTeam_OwnersFirst()
    {
        var list = await _bed.In(_bed.AlphaId).Members.ListAsync(_bed.ActorOf("member"), CancellationToken.None);

        Assert.Equal(6, list.Value.Count);
        Assert.Equal(TenantRole.Owner, list.Value[0].Role);
        Assert.Equal("admin@alpha.test", list.Value.Single(m => m.Role == TenantRole.Admin).Email);
    }

    [Theory]
    [InlineData("admin", "target", TenantRole.Admin, null)]
    [InlineData("admin", "target", TenantRole.Owner, ErrorCodes.RoleEscalation)]
    [InlineData("admin", "owner", TenantRole.Admin, ErrorCodes.Forbidden)]
    [InlineData("member", "target", TenantRole.Member, ErrorCodes.Forbidden)]
    [InlineData("owner", "owner2", TenantRole.Admin, null)]
    [InlineData("owner", "target", TenantRole.Owner, null)]
    public async Task ChangeRole_FollowsTheRoleTable(string actor, string target, TenantRole role, string? error)
    {
        var result = await _bed.In(_bed.AlphaId).Members.ChangeRoleAsync(_bed.ActorOf(actor), _bed.Users[target].Id, role, CancellationToken.None);

        Assert.Equal(error, result.Error?.Code);
        if (error is null)
            Assert.Equal(role, await RoleOf(target));
    }

    [Fact]
    public async Task TheLastOwner_CantBeDemoted_Removed_OrLeave()
    {
        var scope = _bed.In(_bed.AlphaId);
        Assert.True((await scope.Members.ChangeRoleAsync(_bed.ActorOf("owner"), _bed.Users["owner2"].Id, TenantRole.Admin, CancellationToken.None)).IsSuccess);

        var demote = await scope.Members.ChangeRoleAsync(_bed.ActorOf("owner"), _bed.Users["owner"].Id, TenantRole.Admin, CancellationToken.None);
        var leave = await scope.Members.LeaveAsync(_bed.ActorOf("owner"), CancellationToken.None);

        Assert.Equal(ErrorCodes.LastOwner, demote.Error?.Code);
        Assert.Equal(ErrorCodes.LastOwner, leave.Error?.Code);
        Assert.Equal(TenantRole.Owner, await RoleOf("owner"));
    }

    [Fact]
    public async Task Remove_TakesTheMemberOut_AndRecordsIt()
    {
        var scope = _bed.In(_bed.AlphaId);

        var result = await scope.Members.RemoveAsync(_bed.ActorOf("admin"), _bed.Users["target"].Id, CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Null(await RoleOf("target"));
        var audit = await scope.Audit.QueryAsync(_bed.ActorOf("admin"), new("member.removed"), 0, 10, CancellationToken.None);
        var entry = Assert.Single(audit.Value.Entries);
        Assert.Equal(("admin@alpha.test", "member:target@alpha.test", "203.0.113.7"), (entry.Actor, entry.Target, entry.IpAddress));
    }

    [Fact]
    public async Task Remove_RefusesAnAdmin_RemovingAnOwner()
    {
        var result = await _bed.In(_bed.AlphaId).Members.RemoveAsync(_bed.ActorOf("admin"), _bed.Users["owner2"].Id, CancellationToken.None);

        Assert.Equal(ErrorCodes.Forbidden, result.Error?.Code);
        Assert.Equal(TenantRole.Owner, await RoleOf("owner2"));
    }

    [Fact]
    public async Task Leave_RemovesTheActor()
    {
        Assert.True((await _bed.In(_bed.AlphaId).Members.LeaveAsync(_bed.ActorOf("viewer"), CancellationToken.None)).IsSuccess);

        Assert.Null(await RoleOf("viewer"));
    }

    [Fact]
    public async Task AMemberOfAnotherTenant_CantTouchThisTeam()
    {
        var result = await _bed.In(_bed.AlphaId).Members.RemoveAsync(_bed.ActorOf("beta-owner"), _bed.Users["target"].Id, CancellationToken.None);

        Assert.Equal(ErrorCodes.NotFound, result.Error?.Code);
        Assert.Equal(TenantRole.Viewer, await RoleOf("target"));
    }

    private Actor KeyCreatedBy(string creator, params string[] scopes) =>
        Actor.ForApiKey(new ApiKeyActor(_bed.AlphaKeyId, _bed.AlphaId, "seeded", "tp_live_seeded00", scopes), _bed.Users[creator].Id, _bed.Users[creator].Email, null);

    [Fact]
    public async Task ChangeRole_WithAFailingPrecondition_ReturnsItsError_AndChangesNothing()
    {
        var stale = new Error(ErrorCodes.PreconditionFailed, "changed since");
        MemberRow? seen = null;

        var result = await _bed.In(_bed.AlphaId).Members.ChangeRoleAsync(_bed.ActorOf("admin"), _bed.Users["target"].Id, TenantRole.Member,
            current => { seen = current; return stale; }, CancellationToken.None);

        Assert.Equal(stale, result.Error);
        Assert.Equal(("target@alpha.test", TenantRole.Viewer), (seen?.Email, seen?.Role));
        Assert.Equal(TenantRole.Viewer, await RoleOf("target"));
    }

    [Fact]
    public async Task ChangeRole_WithAPassingPrecondition_ReturnsTheMemberAsChanged()
    {
        var result = await _bed.In(_bed.AlphaId).Members.ChangeRoleAsync(_bed.ActorOf("admin"), _bed.Users["target"].Id, TenantRole.Member, _ => null, CancellationToken.None);

        Assert.Equal((_bed.Users["target"].Id, "target@alpha.test", TenantRole.Member), (result.Value.UserId, result.Value.Email, result.Value.Role));
        Assert.Equal(TenantRole.Member, await RoleOf("target"));
    }

    [Fact]
    public async Task Remove_ThroughAnApiKey_MayRemoveTheKeysCreator_WhoIsNotAnOwner()
    {
        var result = await _bed.In(_bed.AlphaId).Members.RemoveAsync(KeyCreatedBy("admin", ApiKeyScopes.MembersWrite), _bed.Users["admin"].Id, CancellationToken.None);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Null(await RoleOf("admin"));
    }

    [Fact]
    public async Task Remove_ThroughAnApiKey_OfAnOwner_IsForbidden_EvenWhenAnOwnerCreatedTheKey()
    {
        var result = await _bed.In(_bed.AlphaId).Members.RemoveAsync(KeyCreatedBy("owner", ApiKeyScopes.MembersWrite), _bed.Users["owner2"].Id, CancellationToken.None);

        Assert.Equal(ErrorCodes.Forbidden, result.Error?.Code);
        Assert.Equal(TenantRole.Owner, await RoleOf("owner2"));
    }

    [Fact]
    public async Task Remove_OfYourself_IsStillRefused_ForASignedInAdmin()
    {
        var result = await _bed.In(_bed.AlphaId).Members.RemoveAsync(_bed.ActorOf("admin"), _bed.Users["admin"].Id, CancellationToken.None);

        Assert.Equal(("invalid", "userId"), (result.Error?.Code, result.Error?.Field));
        Assert.Equal(TenantRole.Admin, await RoleOf("admin"));
    }
}
