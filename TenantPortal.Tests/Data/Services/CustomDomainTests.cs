using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using TenantPortal.Core.Common;
using TenantPortal.Data;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Tenants;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

/// <summary>
/// A tenant's custom domain: stored normalized (lower case, no trailing dot, IDN as punycode), one tenant's only, never
/// one of the portal's own hosts, and unverified again whenever it changes. The bed's portal is
/// <see cref="TenancyTestBed.PublicUrl"/> with tenant hosts under <see cref="TenancyTestBed.RootDomain"/>.
/// </summary>
public abstract class CustomDomainTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : CustomDomainTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : CustomDomainTests(DatabaseProvider.PostgreSql);

    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);

    public Task InitializeAsync() => _bed.InitializeAsync();

    public Task DisposeAsync() => _bed.DisposeAsync();

    private Task<Result<TenantDetails>> SetAsync(string? domain, TenantService? service = null) =>
        (service ?? _bed.In(_bed.AlphaId).Tenants).UpdateAsync(_bed.ActorOf("admin"), new UpdateTenantRequest("Alpha", null, domain, _bed.AlphaStamp), CancellationToken.None);

    [Theory]
    [InlineData("portal.alpha-corp.example", "portal.alpha-corp.example")]
    [InlineData("  Portal.Alpha-Corp.EXAMPLE.  ", "portal.alpha-corp.example")]
    [InlineData("Bücher.Example", "xn--bcher-kva.example")]
    [InlineData("xn--bcher-kva.example.", "xn--bcher-kva.example")]
    [InlineData("portal.alpha.xn--p1ai", "portal.alpha.xn--p1ai")]
    [InlineData("", null)]
    [InlineData(null, null)]
    public async Task Update_StoresTheDomainNormalized(string? input, string? stored)
    {
        var result = await SetAsync(input);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(stored, result.Value.CustomDomain);
    }

    [Theory]
    [InlineData("alpha.example..")]
    [InlineData("a..b.example")]
    [InlineData(".alpha.example")]
    [InlineData("-alpha.example")]
    [InlineData("alpha-.example")]
    [InlineData("al_pha.example")]
    [InlineData("xn--a.example")]
    [InlineData("alpha")]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    [InlineData("alpha.123")]
    [InlineData("al pha.example")]
    [InlineData("https://alpha.example")]
    [InlineData("alpha.example/path")]
    [InlineData("alpha.example:8080")]
    [InlineData("alpha\u202e.example")]
    public async Task Update_RefusesWhatIsNotAHostName_NamingTheField(string input)
    {
        var result = await SetAsync(input);

        Assert.Equal(("invalid", "customDomain"), (result.Error?.Code, result.Error?.Field));
    }

    [Theory]
    [InlineData(TenancyTestBed.PublicHost)]
    [InlineData(TenancyTestBed.RootDomain)]
    [InlineData("beta." + TenancyTestBed.RootDomain)]
    [InlineData("BETA." + TenancyTestBed.RootDomain + ".")]
    [InlineData("deep.under." + TenancyTestBed.RootDomain)]
    public async Task Update_RefusesThePortalsOwnHosts(string input)
    {
        var result = await SetAsync(input);

        Assert.Equal(("invalid", "customDomain"), (result.Error?.Code, result.Error?.Field));
        Assert.Contains("portal", result.Error!.Message);
    }

    [Fact]
    public async Task Update_RefusesAnotherTenantsDomain_WhateverItsSpelling()
    {
        await SetBetaDomainAsync("portal.beta-corp.example");

        var result = await SetAsync("PORTAL.Beta-Corp.example.");

        Assert.Equal(("invalid", "customDomain"), (result.Error?.Code, result.Error?.Field));
    }

    [Fact]
    public async Task Update_RefusesTheDomain_WhenAnotherTenantTakesItBetweenTheCheckAndTheSave()
    {
        var race = new TakeDomainFirst(_bed, "portal.contested.example");
        var tenant = new TenantContext();
        tenant.SetTenant(_bed.AlphaId);
        var contexts = new RacingFactory(_bed.Database, tenant, race);
        var service = new TenantService(contexts, tenant, new AuditWriter(_bed.Time),
            new TenantCreator(contexts, tenant, Options.Create(new BillingOptions()), _bed.Time), _bed.Addresses,
            new TenantDeletionService(contexts, NullLogger<TenantDeletionService>.Instance), _bed.Time);

        var result = await SetAsync("portal.contested.example", service);

        Assert.True(race.Fired);
        Assert.Equal(("invalid", "customDomain"), (result.Error?.Code, result.Error?.Field));
        await using var db = _bed.Database.CrossTenant();
        Assert.Null((await db.Tenants.SingleAsync(t => t.Id == _bed.AlphaId)).CustomDomain);
    }

    [Fact]
    public async Task ChangingTheDomain_MakesItUnverified_OtherChangesKeepTheVerification()
    {
        await SetAsync("portal.alpha-corp.example");
        await using (var db = _bed.Database.CrossTenant())
        {
            var alpha = await db.Tenants.SingleAsync(t => t.Id == _bed.AlphaId);
            alpha.CustomDomainVerifiedAt = _bed.Time.GetUtcNow();
            await db.SaveChangesAsync();
        }
        var scope = _bed.In(_bed.AlphaId);

        var renamed = await scope.Tenants.UpdateAsync(_bed.ActorOf("admin"), new UpdateTenantRequest("Alpha renamed", null, "Portal.Alpha-Corp.example", await StampAsync()), CancellationToken.None);
        var verifiedAfterRename = await VerifiedAtAsync();
        var moved = await scope.Tenants.UpdateAsync(_bed.ActorOf("admin"), new UpdateTenantRequest("Alpha renamed", null, "new.alpha-corp.example", renamed.Value.ConcurrencyStamp), CancellationToken.None);

        Assert.True(moved.IsSuccess, moved.Error?.Message);
        Assert.NotNull(verifiedAfterRename);
        Assert.Null(await VerifiedAtAsync());
    }

    private async Task<Guid> StampAsync()
    {
        await using var db = _bed.Database.CrossTenant();
        return (await db.Tenants.SingleAsync(t => t.Id == _bed.AlphaId)).ConcurrencyStamp;
    }

    private async Task<DateTimeOffset?> VerifiedAtAsync()
    {
        await using var db = _bed.Database.CrossTenant();
        return (await db.Tenants.SingleAsync(t => t.Id == _bed.AlphaId)).CustomDomainVerifiedAt;
    }

    private async Task SetBetaDomainAsync(string domain)
    {
        await using var db = _bed.Database.CrossTenant();
        (await db.Tenants.SingleAsync(t => t.Id == _bed.BetaId)).CustomDomain = domain;
        await db.SaveChangesAsync();
    }

    // Just before the update is saved, beta takes the same domain on another connection.
    private sealed class TakeDomainFirst(TenancyTestBed bed, string domain) : SaveChangesInterceptor
    {
        public bool Fired { get; private set; }

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (!Fired)
            {
                Fired = true;
                await using var db = bed.Database.CrossTenant();
                (await db.Tenants.SingleAsync(t => t.Id == bed.BetaId, cancellationToken)).CustomDomain = domain;
                await db.SaveChangesAsync(cancellationToken);
            }
            return result;
        }
    }

    private sealed class RacingFactory(TestDatabase database, TenantContext tenant, IInterceptor interceptor) : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext() => database.CreateContext(tenant, interceptor);
    }
}
