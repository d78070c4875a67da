using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Common;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

/// <summary>The tenant's two-factor requirement for Owners: who may switch it, and whom it stops at the tenant's door.</summary>
public abstract class OwnerTwoFactorTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : OwnerTwoFactorTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : OwnerTwoFactorTests(DatabaseProvider.PostgreSql);

    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);

    public Task InitializeAsync() => _bed.InitializeAsync();
    public Task DisposeAsync() => _bed.DisposeAsync();

    [Fact]
    public async Task SetOwnerTwoFactor_IsRefused_ForAnAdmin_AndNothingChanges()
    {
        var result = await _bed.In(_bed.AlphaId).Tenants.SetOwnerTwoFactorAsync(_bed.ActorOf("admin"), required: true, CancellationToken.None);

        Assert.Equal(ErrorCodes.Forbidden, result.Error?.Code);
        Assert.False(await RequiredAsync());
    }

    [Fact]
    public async Task SetOwnerTwoFactor_IsRefused_WhenTheOwnerHasNoTwoFactorThemselves()
    {
        var result = await _bed.In(_bed.AlphaId).Tenants.SetOwnerTwoFactorAsync(_bed.ActorOf("owner"), required: true, CancellationToken.None);

        Assert.Equal(ErrorCodes.TwoFactorRequired, result.Error?.Code);
        Assert.False(await RequiredAsync());
    }

    [Fact]
    public async Task SetOwnerTwoFactor_SwitchesOnAndOff_ForAnOwnerWithTwoFactor_WithAnAuditEntryEachTime()
    {
        await EnableTwoFactorAsync("owner");
        var tenants = _bed.In(_bed.AlphaId).Tenants;

        Assert.True((await tenants.SetOwnerTwoFactorAsync(_bed.ActorOf("owner"), required: true, CancellationToken.None)).IsSuccess);
        Assert.True(await RequiredAsync());
        Assert.True((await tenants.SetOwnerTwoFactorAsync(_bed.ActorOf("owner"), required: false, CancellationToken.None)).IsSuccess);
        Assert.False(await RequiredAsync());

        await using var db = _bed.Database.CrossTenant();
        Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.TenantId == _bed.AlphaId && e.Action == AuditActions.OwnerTwoFactorChanged));
    }

    [Fact]
    public async Task Enter_RefusesAnOwnerWithoutTwoFactor_AndSetsNoTenant_WhenTheTenantRequiresIt()
    {
        await RequireAsync();
        var (access, tenant) = Access();

        var result = await access.EnterAsync(TenancyTestBed.AlphaSlug, _bed.Users["owner2"].Id, signedInWithSecondFactor: false, CancellationToken.None);

        Assert.Equal(ErrorCodes.TwoFactorRequired, result.Error?.Code);
        Assert.Null(tenant.TenantId);
    }

    [Fact]
    public async Task Enter_RefusesAnOwnerWithTwoFactor_WhoSignedInWithoutIt_WhenTheTenantRequiresIt()
    {
        await RequireAsync();
        await EnableTwoFactorAsync("owner2");

        var result = await Access().Service.EnterAsync(TenancyTestBed.AlphaSlug, _bed.Users["owner2"].Id, signedInWithSecondFactor: false, CancellationToken.None);

        Assert.Equal(ErrorCodes.TwoFactorRequired, result.Error?.Code);
    }

    [Fact]
    public async Task Enter_LetsInAnOwnerWhoSignedInWithTwoFactor_WhenTheTenantRequiresIt()
    {
        await RequireAsync();
        await EnableTwoFactorAsync("owner2");
        var (access, tenant) = Access();

        var result = await access.EnterAsync(TenancyTestBed.AlphaSlug, _bed.Users["owner2"].Id, signedInWithSecondFactor: true, CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Equal(_bed.AlphaId, tenant.TenantId);
    }

    [Fact]
    public async Task Enter_LetsInAnOwnerWithoutTwoFactor_WhenTheTenantDoesNotRequireIt()
    {
        var result = await Access().Service.EnterAsync(TenancyTestBed.AlphaSlug, _bed.Users["owner2"].Id, signedInWithSecondFactor: false, CancellationToken.None);

        Assert.True(result.IsSuccess);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("member")]
    [InlineData("viewer")]
    public async Task Enter_LetsInOtherRolesWithoutTwoFactor_WhenTheTenantRequiresItOfOwners(string name)
    {
        await RequireAsync();

        var result = await Access().Service.EnterAsync(TenancyTestBed.AlphaSlug, _bed.Users[name].Id, signedInWithSecondFactor: false, CancellationToken.None);

        Assert.True(result.IsSuccess);
    }

    [Fact]
    public async Task LacksRequiredSecondFactor_TurnsTrue_ForAnOwnerAlreadyIn_OnceTheTenantRequiresIt()
    {
        var access = Access().Service;
        var entered = await access.EnterAsync(TenancyTestBed.AlphaSlug, _bed.Users["owner2"].Id, signedInWithSecondFactor: false, CancellationToken.None);
        Assert.False(await access.LacksRequiredSecondFactorAsync(entered.Value, _bed.Users["owner2"].Id, false, CancellationToken.None));

        await RequireAsync();

        Assert.True(await access.LacksRequiredSecondFactorAsync(entered.Value, _bed.Users["owner2"].Id, false, CancellationToken.None));
    }

    private (TenantAccessService Service, TenantContext Tenant) Access()
    {
        var tenant = new TenantContext();
        return (new TenantAccessService(new TestContextFactory(_bed.Database, tenant), tenant), tenant);
    }

    private async Task RequireAsync()
    {
        await EnableTwoFactorAsync("owner");
        Assert.True((await _bed.In(_bed.AlphaId).Tenants.SetOwnerTwoFactorAsync(_bed.ActorOf("owner"), required: true, CancellationToken.None)).IsSuccess);
    }

    private async Task EnableTwoFactorAsync(string name)
    {
        await using var db = _bed.Database.CrossTenant();
        var id = _bed.Users[name].Id;
        await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(s => s.SetProperty(u => u.TwoFactorEnabled, true));
    }

    private async Task<bool> RequiredAsync()
    {
        await using var db = _bed.Database.CrossTenant();
        return await db.Tenants.Where(t => t.Id == _bed.AlphaId).Select(t => t.RequireOwnerTwoFactor).SingleAsync();
    }
}
