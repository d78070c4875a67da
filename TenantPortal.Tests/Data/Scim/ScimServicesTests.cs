using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Members;
using TenantPortal.Data.Services.Scim;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Scim;

/// <summary>
/// The SCIM services on each provider (on PostgreSQL under row-level security): a token authenticates across tenants,
/// then users and groups of its own tenant are created, suspended, mapped to roles and removed, and another tenant's
/// rows stay out of reach.
/// </summary>
public abstract class ScimServicesTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : ScimServicesTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : ScimServicesTests(DatabaseProvider.PostgreSql);

    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);
    private static readonly CancellationToken None = CancellationToken.None;

    public async Task InitializeAsync()
    {
        await _bed.InitializeAsync();
        await ScimMatrix.EntitleAlphaAsync(_bed.In(_bed.AlphaId), _bed);
    }

    public Task DisposeAsync() => _bed.DisposeAsync();

    private ScimUserService Users(TenancyTestBed.Scope s) =>
        new(s.Contexts, new AuditWriter(_bed.Time), s.Entitlements, new MemberProvisioner(new AuditWriter(_bed.Time), _bed.Time), _bed.Time);

    private ScimGroupService Groups(TenancyTestBed.Scope s) => new(s.Contexts, new AuditWriter(_bed.Time), s.Entitlements, _bed.Time);

    private async Task<ScimTokenIdentity> TokenAsync()
    {
        var created = await ScimMatrix.Tokens(_bed.In(_bed.AlphaId), _bed).CreateAsync(_bed.ActorOf("admin"), "Entra", None);
        Assert.True(created.IsSuccess, created.Error?.Message);
        var identity = await ScimMatrix.Tokens(_bed.In(null), _bed).AuthenticateAsync(created.Value.Secret, None);
        Assert.NotNull(identity);
        Assert.Equal(_bed.AlphaId, identity.TenantId);
        return identity;
    }

    [Fact]
    public async Task UserAndGroupLifecycle_WorksOnTheProvider_AuditedAsTheToken()
    {
        var token = await TokenAsync();
        var alpha = _bed.In(_bed.AlphaId);
        Assert.True((await ScimMatrix.Mappings(alpha, _bed).SetAsync(_bed.ActorOf("admin"), "Admins", TenantRole.Admin, None)).IsSuccess);

        var created = await Users(alpha).CreateAsync(token, new ScimUserInput("new.person@alpha.test", "ext-1", "New", "Person", true), "198.51.100.1", None);
        Assert.True(created.IsSuccess, created.Error?.Message);
        var found = await Users(alpha).ListAsync(token, new ScimFilter(ScimFilter.UserName, "NEW.PERSON@alpha.test"), 1, 10, None);
        Assert.Equal(created.Value.Id, found.Value.Resources.Single().Id);

        var suspended = await Users(alpha).ReplaceAsync(token, created.Value.Id, new ScimUserInput("new.person@alpha.test", "ext-1", "New", "Person", false), null, None);
        Assert.False(suspended.Value.Active);
        var userId = (await alpha.Members.ListAsync(_bed.ActorOf("owner"), None)).Value.Single(m => m.Email == "new.person@alpha.test").UserId;
        Assert.Equal(ErrorCodes.Forbidden, (await _bed.In(null).Access.EnterAsync(TenancyTestBed.AlphaSlug, userId, false, None)).Error?.Code);
        Assert.Null(await _bed.In(null).Access.CheckAsync(_bed.AlphaId, userId, None));

        var group = await Groups(alpha).CreateAsync(token, new ScimGroupInput("admins", null, [created.Value.Id]), null, None);
        Assert.True(group.IsSuccess, group.Error?.Message);
        Assert.Equal(TenantRole.Admin, (await Users(alpha).GetAsync(token, created.Value.Id, None)).Value.Role);
        var emptied = await Groups(alpha).PatchAsync(token, group.Value.Id, new ScimGroupPatch(null, null, false, true, null, [], []), null, None);
        Assert.Empty(emptied.Value.Members);
        Assert.Equal(TenantRole.Member, (await Users(alpha).GetAsync(token, created.Value.Id, None)).Value.Role);

        Assert.True((await Users(alpha).DeleteAsync(token, created.Value.Id, null, None)).IsSuccess);
        Assert.Equal(ErrorCodes.NotFound, (await Users(alpha).GetAsync(token, created.Value.Id, None)).Error?.Code);
        await using var db = _bed.Database.CrossTenant();
        var actions = await db.AuditEntries.Where(a => a.TenantId == _bed.AlphaId && a.Actor.StartsWith("SCIM token Entra")).Select(a => a.Action).ToListAsync();
        Assert.Contains(AuditActions.MemberAdded, actions);
        Assert.Contains(AuditActions.MemberSuspended, actions);
        Assert.Contains(AuditActions.MemberRoleChanged, actions);
        Assert.Contains(AuditActions.MemberRemoved, actions);
    }

    [Fact]
    public async Task AnotherTenantsMembership_IsNotFound_ThroughAToken()
    {
        var token = await TokenAsync();
        await using var db = _bed.Database.CrossTenant();
        var betaMember = await db.Members.SingleAsync(m => m.TenantId == _bed.BetaId);

        var got = await Users(_bed.In(_bed.AlphaId)).GetAsync(token, betaMember.Id, None);
        var removed = await Users(_bed.In(_bed.AlphaId)).DeleteAsync(token, betaMember.Id, null, None);

        Assert.Equal(ErrorCodes.NotFound, got.Error?.Code);
        Assert.Equal(ErrorCodes.NotFound, removed.Error?.Code);
        Assert.True(await db.Members.AnyAsync(m => m.Id == betaMember.Id));
    }

    [Fact]
    public async Task ARevokedToken_AuthenticatesNothing()
    {
        var created = await ScimMatrix.Tokens(_bed.In(_bed.AlphaId), _bed).CreateAsync(_bed.ActorOf("admin"), "Okta", None);
        Assert.True((await ScimMatrix.Tokens(_bed.In(_bed.AlphaId), _bed).RevokeAsync(_bed.ActorOf("admin"), created.Value.Id, None)).IsSuccess);

        Assert.Null(await ScimMatrix.Tokens(_bed.In(null), _bed).AuthenticateAsync(created.Value.Secret, None));
        Assert.Null(await ScimMatrix.Tokens(_bed.In(null), _bed).AuthenticateAsync(created.Value.Secret[..^1] + "x", None));
    }
}
