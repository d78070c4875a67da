using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Tenants;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

public abstract class TenantServiceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : TenantServiceTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : TenantServiceTests(DatabaseProvider.PostgreSql);

    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);

    public Task InitializeAsync() => _bed.InitializeAsync();
    public Task DisposeAsync() => _bed.DisposeAsync();

    [Fact]
    public async Task Create_OnAPaidTier_MakesTheUserOwner_WithAFourteenDayTrial()
    {
        var scope = _bed.In(null);

        var created = await scope.Tenants.CreateAsync(_bed.ActorOf("outsider"), new CreateTenantRequest("  New Co ", "new-co", SubscriptionTier.Professional), CancellationToken.None);

        Assert.True(created.IsSuccess, created.Error?.Message);
        Assert.Equal((TenantRole.Owner, TenantStatus.Trial), (created.Value.Role, created.Value.Status));
        Assert.Equal(created.Value.TenantId, scope.Tenant.TenantId);
        await using var db = _bed.Database.CrossTenant();
        var tenant = await db.Tenants.SingleAsync(t => t.Slug == "new-co");
        Assert.Equal("New Co", tenant.Name);
        Assert.Equal(_bed.Time.GetUtcNow().AddDays(14), tenant.TrialEndsAt);
        Assert.Equal("tenant.created", (await db.AuditEntries.SingleAsync(a => a.TenantId == tenant.Id)).Action);
    }

    [Fact]
    public async Task Create_OnFree_IsActive_WithoutATrial()
    {
        var created = await _bed.In(null).Tenants.CreateAsync(_bed.ActorOf("outsider"), new CreateTenantRequest("Free Co", "free-co", SubscriptionTier.Free), CancellationToken.None);

        Assert.Equal(TenantStatus.Active, created.Value.Status);
    }

    [Theory]
    [InlineData("ops", ErrorCodes.Invalid)]
    [InlineData("api", ErrorCodes.Invalid)]
    [InlineData("ab", ErrorCodes.Invalid)]
    [InlineData("Upper", ErrorCodes.Invalid)]
    [InlineData("under_score", ErrorCodes.Invalid)]
    [InlineData(TenancyTestBed.AlphaSlug, ErrorCodes.SlugTaken)]
    public async Task Create_RefusesBadOrTakenSlugs_NamingTheSlugField(string slug, string code)
    {
        var created = await _bed.In(null).Tenants.CreateAsync(_bed.ActorOf("outsider"), new CreateTenantRequest("Co", slug, SubscriptionTier.Free), CancellationToken.None);

        Assert.Equal(code, created.Error?.Code);
        Assert.Equal("slug", created.Error?.Field);
        await using var db = _bed.Database.CrossTenant();
        Assert.Equal(2, await db.Tenants.CountAsync());
    }

    [Fact]
    public async Task CheckSlug_TellsTheFormWhetherASlugIsFree()
    {
        var scope = _bed.In(null);

        Assert.True((await scope.Tenants.CheckSlugAsync("fresh-slug", CancellationToken.None)).IsSuccess);
        Assert.Equal(ErrorCodes.SlugTaken, (await scope.Tenants.CheckSlugAsync(TenancyTestBed.BetaSlug, CancellationToken.None)).Error?.Code);
    }

    [Fact]
    public async Task Update_ChangesDetails_AndRefusesAStaleStamp()
    {
        var scope = _bed.In(_bed.AlphaId);

        var updated = await scope.Tenants.UpdateAsync(_bed.ActorOf("admin"), new UpdateTenantRequest("Alpha Inc", "Billing@Alpha.test", "Portal.Alpha.COM", _bed.AlphaStamp), CancellationToken.None);
        var stale = await scope.Tenants.UpdateAsync(_bed.ActorOf("owner"), new UpdateTenantRequest("Other", null, null, _bed.AlphaStamp), CancellationToken.None);

        Assert.True(updated.IsSuccess, updated.Error?.Message);
        Assert.Equal("portal.alpha.com", updated.Value.CustomDomain);
        Assert.Equal(ErrorCodes.ConcurrencyConflict, stale.Error?.Code);
        Assert.Equal("Alpha Inc", (await scope.Tenants.GetDetailsAsync(_bed.ActorOf("viewer"), CancellationToken.None)).Value.Name);
    }

    [Theory]
    [InlineData("", null, null, "name")]
    [InlineData("Ok", "not-an-email", null, "billingEmail")]
    [InlineData("Ok", null, "not a domain", "customDomain")]
    public async Task Update_RefusesBadInput_NamingTheField(string name, string? email, string? domain, string field)
    {
        var result = await _bed.In(_bed.AlphaId).Tenants.UpdateAsync(_bed.ActorOf("owner"), new UpdateTenantRequest(name, email, domain, _bed.AlphaStamp), CancellationToken.None);

        Assert.Equal(field, result.Error?.Field);
    }

    [Fact]
    public async Task Delete_NeedsTheSlugTyped_ThenRemovesEveryRowButTheAuditLog()
    {
        var scope = _bed.In(_bed.AlphaId);

        var wrong = await scope.Tenants.DeleteAsync(_bed.ActorOf("owner"), "alpa", CancellationToken.None);
        var deleted = await scope.Tenants.DeleteAsync(_bed.ActorOf("owner"), TenancyTestBed.AlphaSlug, CancellationToken.None);

        Assert.Equal(ErrorCodes.ConfirmationMismatch, wrong.Error?.Code);
        Assert.True(deleted.IsSuccess, deleted.Error?.Message);
        await using var db = _bed.Database.CrossTenant();
        Assert.False(await db.Tenants.AnyAsync(t => t.Id == _bed.AlphaId));
        Assert.False(await db.Members.AnyAsync(m => m.TenantId == _bed.AlphaId));
        Assert.False(await db.Invitations.AnyAsync(i => i.TenantId == _bed.AlphaId));
        Assert.False(await db.ApiKeys.AnyAsync(k => k.TenantId == _bed.AlphaId));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.TenantId == _bed.AlphaId && a.Action == "tenant.deleted"));
        Assert.True(await db.Tenants.AnyAsync(t => t.Id == _bed.BetaId));
    }

    [Fact]
    public async Task TransferOwnership_MakesTheTargetOwner_AndTheOwnerAdmin()
    {
        var scope = _bed.In(_bed.AlphaId);

        var result = await scope.Tenants.TransferOwnershipAsync(_bed.ActorOf("owner"), _bed.Users["member"].Id, CancellationToken.None);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(TenantRole.Owner, (await scope.Access.CheckAsync(_bed.AlphaId, _bed.Users["member"].Id, CancellationToken.None))?.Role);
        Assert.Equal(TenantRole.Admin, (await scope.Access.CheckAsync(_bed.AlphaId, _bed.Users["owner"].Id, CancellationToken.None))?.Role);
    }

    [Fact]
    public async Task TransferOwnership_RefusesSomeoneWhoIsNotAMember()
    {
        var result = await _bed.In(_bed.AlphaId).Tenants.TransferOwnershipAsync(_bed.ActorOf("owner"), _bed.Users["beta-owner"].Id, CancellationToken.None);

        Assert.Equal(ErrorCodes.NotFound, result.Error?.Code);
    }

    [Fact]
    public async Task Create_LeavesTheScopeOutsideAnyTenant_WhenRefused()
    {
        var scope = _bed.In(null);

        var created = await scope.Tenants.CreateAsync(_bed.ActorOf("outsider"), new CreateTenantRequest("Co", TenancyTestBed.BetaSlug, SubscriptionTier.Free), CancellationToken.None);

        Assert.False(created.IsSuccess);
        Assert.Null(scope.Tenant.TenantId);
        Assert.False(scope.Tenant.IsCrossTenant);
    }
}
