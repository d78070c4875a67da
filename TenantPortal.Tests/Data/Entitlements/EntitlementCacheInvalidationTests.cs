using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using TenantPortal.Core.Common;
using TenantPortal.Core.Entitlements;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Data.Interceptors;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Entitlements;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Entitlements;

/// <summary>
/// Two portal instances over one database, each with its own entitlement cache: a change saved on one (an override, a
/// tier) reaches the other's cached entitlements by the tenant-state channel (<c>Metering:QuotaCache=Redis</c>), by the save
/// interceptor on the same instance, and, without a channel (<c>None</c>), within <see cref="EntitlementCache.UnsharedMaxAge"/>.
/// </summary>
public class EntitlementCacheInvalidationTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TenancyTestBed _bed = TenancyTestBed.On(DatabaseProvider.Sqlite);

    public Task InitializeAsync() => _bed.InitializeAsync();
    public Task DisposeAsync() => _bed.DisposeAsync();

    // One instance: its cache, and contexts with the given save interceptor.
    private sealed class Instance(TenancyTestBed bed, EntitlementCache cache, IInterceptor interceptor) : IDbContextFactory<PortalDbContext>
    {
        private readonly TenantContext _tenant = new();

        public EntitlementCache Cache => cache;
        public EntitlementService Entitlements => new(this, PlanEntitlements.Defaults, cache, bed.Time);
        public EntitlementOverrideService Overrides => new(this, PlanEntitlements.Defaults, new AuditWriter(bed.Time), bed.Time);
        public PortalDbContext CreateDbContext() => bed.Database.CreateContext(_tenant, interceptor);
    }

    private async Task<Entitlement> SsoAsync(Instance instance) => (await instance.Entitlements.CheckAsync(_bed.AlphaId, "sso", None)).Value;

    [Fact]
    public async Task AnOverrideSavedOnOneInstance_ReachesTheOthersCache_ThroughTheTenantStateChannel()
    {
        await using var redisA = await TestRedis.ConnectAsync();
        await using var redisB = await TestRedis.ConnectAsync();
        var cacheA = new EntitlementCache(_bed.Time);
        var statesA = new TenantQuotaStateCache(_bed.Time, cacheA);
        var channelA = new RedisTenantStateChannel(redisA, statesA, NullLogger<RedisTenantStateChannel>.Instance);
        var a = new Instance(_bed, cacheA, new QuotaCacheInvalidationInterceptor(statesA, others: channelA));
        var cacheB = new EntitlementCache(_bed.Time);
        var statesB = new TenantQuotaStateCache(_bed.Time, cacheB);
        var channelB = new RedisTenantStateChannel(redisB, statesB, NullLogger<RedisTenantStateChannel>.Instance);
        var b = new Instance(_bed, cacheB, new QuotaCacheInvalidationInterceptor(statesB, others: channelB));
        await channelA.StartAsync(None);
        await channelB.StartAsync(None);
        try
        {
            Assert.False((await SsoAsync(a)).Enabled);
            Assert.False((await SsoAsync(b)).Enabled);
            Assert.NotNull(cacheB.TryGet(_bed.AlphaId));

            var op = await _bed.MakeOperatorAsync();
            Assert.True((await a.Overrides.SetAsync(op, _bed.AlphaId, new("sso", true, null, null), "SSO pilot", None)).IsSuccess);

            Assert.True((await SsoAsync(a)).Enabled); // this instance: invalidated by its own save at once
            await TestTimeouts.WaitUntilAsync(() => cacheB.TryGet(_bed.AlphaId) is null, "the other instance to forget the tenant's entitlements");
            var seenByB = await SsoAsync(b);
            Assert.Equal((true, EntitlementSource.Override), (seenByB.Enabled, seenByB.Source));
        }
        finally
        {
            await channelA.StopAsync(None);
            await channelB.StopAsync(None);
        }
    }

    [Fact]
    public async Task ATierChange_InvalidatesTheCache_OnTheInstanceThatSavedIt()
    {
        var cache = new EntitlementCache(_bed.Time, EntitlementCache.UnsharedMaxAge);
        var a = new Instance(_bed, cache, new EntitlementCacheInvalidationInterceptor(cache));
        Assert.False((await SsoAsync(a)).Enabled);

        await using (var db = a.CreateDbContext())
        {
            using var scope = db.BeginCrossTenantScope("test arrangement");
            var tenant = await db.Tenants.SingleAsync(t => t.Id == _bed.AlphaId);
            Assert.True(tenant.ChangeTierByOperator(SubscriptionTier.Professional, _bed.Time.GetUtcNow()).IsSuccess);
            await db.SaveChangesAsync();
        }

        Assert.True((await SsoAsync(a)).Enabled);
    }

    [Fact]
    public async Task WithoutAChannel_TheOtherInstance_ReadsAgainOnceItsStateIsUnsharedMaxAgeOld()
    {
        var cacheA = new EntitlementCache(_bed.Time, EntitlementCache.UnsharedMaxAge);
        var a = new Instance(_bed, cacheA, new EntitlementCacheInvalidationInterceptor(cacheA));
        var cacheB = new EntitlementCache(_bed.Time, EntitlementCache.UnsharedMaxAge);
        var b = new Instance(_bed, cacheB, new EntitlementCacheInvalidationInterceptor(cacheB));
        Assert.False((await SsoAsync(b)).Enabled);

        var op = await _bed.MakeOperatorAsync();
        Assert.True((await a.Overrides.SetAsync(op, _bed.AlphaId, new("sso", true, null, null), "SSO pilot", None)).IsSuccess);
        var stale = await SsoAsync(b);
        _bed.Time.Advance(EntitlementCache.UnsharedMaxAge);
        var fresh = await SsoAsync(b);

        Assert.True((await SsoAsync(a)).Enabled);
        Assert.False(stale.Enabled);
        Assert.True(fresh.Enabled);
    }
}
