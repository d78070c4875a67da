using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

/// <summary>A key acts through the same services as a person: as an Admin of its own tenant, within its scopes.</summary>
public abstract class ApiKeyActorTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : ApiKeyActorTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : ApiKeyActorTests(DatabaseProvider.PostgreSql);

    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);

    public Task InitializeAsync() => _bed.InitializeAsync();
    public Task DisposeAsync() => _bed.DisposeAsync();

    private Actor KeyOf(Guid tenantId, params string[] scopes) =>
        Actor.ForApiKey(new ApiKeyActor(_bed.AlphaKeyId, tenantId, "ci", "tp_live_abcdefgh", scopes), _bed.Users["owner"].Id, _bed.Users["owner"].Email, "198.51.100.4");

    [Fact]
    public async Task Key_ReadsTheTeam_WithMembersRead_AndIsRefusedWithoutIt()
    {
        var members = _bed.In(_bed.AlphaId).Members;

        var allowed = await members.ListAsync(KeyOf(_bed.AlphaId, ApiKeyScopes.MembersRead), CancellationToken.None);
        var refused = await members.ListAsync(KeyOf(_bed.AlphaId, ApiKeyScopes.UsageRead, ApiKeyScopes.MembersWrite), CancellationToken.None);

        Assert.True(allowed.IsSuccess);
        Assert.Contains(allowed.Value, m => m.UserId == _bed.Users["owner"].Id);
        Assert.Equal(ErrorCodes.MissingScope, refused.Error!.Code);
    }

    [Fact]
    public async Task Key_ActsAsAnAdmin_SoItCannotMakeAnOwner_NorRemoveOne()
    {
        var members = _bed.In(_bed.AlphaId).Members;
        var key = KeyOf(_bed.AlphaId, ApiKeyScopes.MembersWrite);

        var promote = await members.ChangeRoleAsync(key, _bed.Users["target"].Id, TenantRole.Owner, CancellationToken.None);
        var removeOwner = await members.RemoveAsync(key, _bed.Users["owner2"].Id, CancellationToken.None);
        var promoteToAdmin = await members.ChangeRoleAsync(key, _bed.Users["target"].Id, TenantRole.Admin, CancellationToken.None);

        Assert.Equal(ErrorCodes.RoleEscalation, promote.Error!.Code);
        Assert.Equal(ErrorCodes.Forbidden, removeOwner.Error!.Code);
        Assert.True(promoteToAdmin.IsSuccess);
    }

    [Fact]
    public async Task Key_IsNotFound_InAnotherTenant_EvenWithEveryScope()
    {
        var result = await _bed.In(_bed.BetaId).Members.ListAsync(KeyOf(_bed.AlphaId, [.. ApiKeyScopes.All]), CancellationToken.None);

        Assert.Equal(ErrorCodes.NotFound, result.Error!.Code);
    }

    [Fact]
    public async Task Key_CannotManageKeys_WhateverItsScopes()
    {
        var result = await _bed.In(_bed.AlphaId).ApiKeys.CreateAsync(KeyOf(_bed.AlphaId, [.. ApiKeyScopes.All]), "spawned", CancellationToken.None);

        Assert.Equal(ErrorCodes.Forbidden, result.Error!.Code);
    }

    [Fact]
    public async Task Key_IsAuditedAsTheKeyAndItsCreator()
    {
        var result = await _bed.In(_bed.AlphaId).Members.ChangeRoleAsync(KeyOf(_bed.AlphaId, ApiKeyScopes.MembersWrite), _bed.Users["target"].Id,
            TenantRole.Member, CancellationToken.None);

        Assert.True(result.IsSuccess);
        await using var db = _bed.Database.CrossTenant();
        var entry = await db.AuditEntries.OrderByDescending(a => a.Id).FirstAsync();
        Assert.Equal("API key ci (tp_live_abcdefgh…) of " + _bed.Users["owner"].Email, entry.Actor);
        Assert.Equal(_bed.Users["owner"].Id, entry.ActorUserId);
        Assert.Equal("198.51.100.4", entry.IpAddress);
    }

    [Fact]
    public async Task CreateKey_TakesTheChosenScopes_ButOnlyAnOwnerGivesBillingWrite()
    {
        var keys = _bed.In(_bed.AlphaId).ApiKeys;

        var byAdmin = await keys.CreateAsync(_bed.ActorOf("admin"), "billing bot", [ApiKeyScopes.BillingWrite], CancellationToken.None);
        var byOwner = await keys.CreateAsync(_bed.ActorOf("owner"), "billing bot", [ApiKeyScopes.BillingRead, ApiKeyScopes.BillingWrite], CancellationToken.None);
        var unknown = await keys.CreateAsync(_bed.ActorOf("owner"), "bad", ["everything"], CancellationToken.None);

        Assert.Equal(ErrorCodes.RoleEscalation, byAdmin.Error!.Code);
        Assert.Equal(["billing:read", "billing:write"], byOwner.Value.Scopes);
        Assert.Equal("scopes", unknown.Error!.Field);
        await using var db = _bed.Database.CrossTenant();
        Assert.Equal("billing:read billing:write", (await db.ApiKeys.SingleAsync(k => k.Id == byOwner.Value.Id)).Scopes);
        Assert.Equal(0, await db.ApiKeys.CountAsync(k => k.Name == "bad"));
    }
}
