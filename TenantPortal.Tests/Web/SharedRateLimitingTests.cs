using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Options;
using TenantPortal.Web.Security;

namespace TenantPortal.Tests.Web;

/// <summary>
/// <c>RateLimiting:Store=Redis</c> on a real Redis: instances (service providers with connections of their own) share one
/// limit per tenant; with Redis stopped each falls back to its share and never fails a request.
/// </summary>
public class SharedRateLimitingTests
{
    private static ServiceProvider Instance(IConnectionMultiplexer redis) =>
        new ServiceCollection().AddLogging().AddSingleton(redis).BuildServiceProvider();

    private static HttpContext RequestOf(IServiceProvider instance, string tenant, string tier = "Professional") => new DefaultHttpContext
    {
        RequestServices = instance,
        User = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ApiKeyAuthenticationHandler.TenantClaim, tenant), new Claim(ApiKeyAuthenticationHandler.TierClaim, tier)], "ApiKey")),
    };

    private static PartitionedRateLimiter<HttpContext> Limiter(RateLimitingOptions options) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context => TenantRateLimiting.SharedPartition(context, options,
            context.RequestServices.GetRequiredService<IConnectionMultiplexer>(), context.RequestServices.GetRequiredService<ILoggerFactory>()));

    // As the middleware asks: the synchronous attempt first, then the asynchronous acquire.
    private static async Task<bool> AcquiredAsync(PartitionedRateLimiter<HttpContext> limiter, HttpContext request)
    {
        using (var attempt = limiter.AttemptAcquire(request))
        {
            if (attempt.IsAcquired)
                return true;
        }
        using var lease = await limiter.AcquireAsync(request);
        return lease.IsAcquired;
    }

    [Fact]
    public async Task TwoInstances_ShareOneLimitPerTenant_AndTierOverridesApply()
    {
        await using var redisA = await TestRedis.ConnectAsync();
        await using var redisB = await TestRedis.ConnectAsync();
        await using var instanceA = Instance(redisA);
        await using var instanceB = Instance(redisB);
        var options = new RateLimitingOptions { Store = RateLimitStore.Redis, RequestsPerSecond = 10, Instances = 2, Tiers = new() { ["Free"] = 3 } };
        using var limiterA = Limiter(options);
        using var limiterB = Limiter(options);

        var granted = await WallClock.InOneWindowAsync(async () =>
        {
            var tenant = $"tenant-{Guid.NewGuid():N}";
            var count = 0;
            for (var i = 0; i < 15; i++)
            {
                count += await AcquiredAsync(limiterA, RequestOf(instanceA, tenant)) ? 1 : 0;
                count += await AcquiredAsync(limiterB, RequestOf(instanceB, tenant)) ? 1 : 0;
            }
            return count;
        });
        var freeGranted = await WallClock.InOneWindowAsync(async () =>
        {
            var freeTenant = $"free-{Guid.NewGuid():N}";
            var count = 0;
            for (var i = 0; i < 5; i++)
            {
                count += await AcquiredAsync(limiterA, RequestOf(instanceA, freeTenant, "Free")) ? 1 : 0;
                count += await AcquiredAsync(limiterB, RequestOf(instanceB, freeTenant, "Free")) ? 1 : 0;
            }
            return count;
        });

        Assert.Equal(10, granted); // the whole limit across both, not 2 × its share of 5
        Assert.Equal(3, freeGranted);
    }

    [Fact]
    public async Task TheSharedLimit_HoldsInEveryWindow_AndGrantsAgainAsTheWindowSlides()
    {
        await using var redis = await TestRedis.ConnectAsync();
        await using var instance = Instance(redis);
        using var limiter = Limiter(new RateLimitingOptions { Store = RateLimitStore.Redis, RequestsPerSecond = 5 });
        var request = RequestOf(instance, $"tenant-{Guid.NewGuid():N}");

        // Each grant with the wall-clock milliseconds before and after it was asked for: the library stamps it in between.
        var grants = new List<(long Before, long After)>();
        async Task<bool> AskAsync()
        {
            var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var acquired = await AcquiredAsync(limiter, request);
            if (acquired)
                grants.Add((before, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
            return acquired;
        }
        var burst = new List<bool>();
        for (var i = 0; i < 6; i++)
            burst.Add(await AskAsync());
        // Then calls every 5 ms until the limit has been granted twice more, as the burst's grants and then those leave
        // the window. A machine that stalls the loop only makes it take longer.
        var deadline = DateTime.UtcNow + TestTimeouts.Generous;
        while (grants.Count < 15 && DateTime.UtcNow < deadline)
        {
            await AskAsync();
            await Task.Delay(5);
        }

        Assert.Equal([true, true, true, true, true, false], burst);
        Assert.Equal(15, grants.Count);
        // At most 5 in any window: every grant comes at least a window after the one five before it.
        for (var i = 5; i < grants.Count; i++)
            Assert.True(grants[i].After - grants[i - 5].Before >= WallClock.Window.TotalMilliseconds,
                $"Grant {i} came {grants[i].After - grants[i - 5].Before} ms or less after grant {i - 5}: more than 5 in one window.");
    }

    [Fact]
    public async Task ATenantsLimiter_IsIdleSinceItWasLastAskedThroughRedis_NotSinceItWasMade()
    {
        // The partitioned limiter disposes and makes again a limiter idle for ten seconds; the shared one said idle since
        // it was made (its unused share's idea), so a tenant's limiter in steady use was made again every ten seconds.
        await using var redis = await TestRedis.ConnectAsync();
        await using var instance = Instance(redis);
        var request = RequestOf(instance, $"tenant-{Guid.NewGuid():N}");
        var partition = TenantRateLimiting.SharedPartition(request, new RateLimitingOptions { Store = RateLimitStore.Redis, RequestsPerSecond = 5 },
            redis, instance.GetRequiredService<ILoggerFactory>());
        using var tenantLimiter = partition.Factory(partition.PartitionKey);

        await WallClock.WindowPassedAsync();
        var sinceAsked = System.Diagnostics.Stopwatch.StartNew();
        using (var lease = await tenantLimiter.AcquireAsync())
            Assert.True(lease.IsAcquired);
        var idle = tenantLimiter.IdleDuration;

        Assert.NotNull(idle);
        Assert.True(idle <= sinceAsked.Elapsed, $"Idle for {idle}, asked {sinceAsked.Elapsed} ago.");
    }

    [Fact]
    public async Task RequestsSentAsASecondEnds_AndCountedInTheNext_AreHeldToTheLimit()
    {
        // A busy Redis (here: paused) counts requests after the second they were sent in has ended. RedisRateLimiting's
        // fixed window then found its window's keys expired and opened a new window for every such request: all 20 were
        // granted on top of the 5.
        await using var server = await OwnRedisServer.StartNewAsync();
        await using var redis = await TestRedis.ConnectAsync(server.Configuration, "see OwnRedisServer");
        await using var admin = await TestRedis.ConnectAsync(server.Configuration + ",allowAdmin=true", "see OwnRedisServer");
        await using var instance = Instance(redis);
        using var limiter = Limiter(new RateLimitingOptions { Store = RateLimitStore.Redis, RequestsPerSecond = 5 });
        var request = RequestOf(instance, $"tenant-{Guid.NewGuid():N}");

        await WallClock.NextSecondAsync();
        var first = 0;
        for (var i = 0; i < 5; i++)
            first += await AcquiredAsync(limiter, request) ? 1 : 0;
        var now = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, 850 - now.Millisecond)));
        await admin.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "400");
        var late = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => AcquiredAsync(limiter, request)));

        Assert.Equal(5, first);
        // Sent within a second of the first five: a limit of 5 a second grants none of them; a limit counted per wall-clock
        // second could grant at most the next second's five.
        Assert.InRange(late.Count(granted => granted), 0, 5);
    }

    [Fact]
    public async Task ARefusalFromRedis_SaysWhenToRetry()
    {
        await using var redis = await TestRedis.ConnectAsync();
        await using var instance = Instance(redis);
        using var limiter = Limiter(new RateLimitingOptions { Store = RateLimitStore.Redis, RequestsPerSecond = 1 });
        var (first, refused) = await WallClock.InOneWindowAsync(async () =>
        {
            var request = RequestOf(instance, $"tenant-{Guid.NewGuid():N}");
            var acquired = await AcquiredAsync(limiter, request);
            return (acquired, await limiter.AcquireAsync(request));
        });
        using var _ = refused;

        Assert.True(first);
        Assert.False(refused.IsAcquired);
        // The 429's Retry-After: the window is one second, so the grant that fills it leaves it within one.
        Assert.Equal(1, TenantRateLimiting.RetryAfterSeconds(refused));
    }

    [Fact]
    public async Task WithRedisStopped_EachInstanceEnforcesItsShare_AndNothingThrows()
    {
        await using var server = await OwnRedisServer.StartNewAsync();
        await using var redis = await TestRedis.ConnectAsync(server.Configuration, "see OwnRedisServer");
        await using var instance = Instance(redis);
        using var limiter = Limiter(new RateLimitingOptions { Store = RateLimitStore.Redis, RequestsPerSecond = 10, Instances = 2 });
        var tenant = $"tenant-{Guid.NewGuid():N}";
        Assert.True(await AcquiredAsync(limiter, RequestOf(instance, tenant))); // the partition exists, backed by Redis

        await server.StopAsync();
        var deadline = DateTime.UtcNow + TestTimeouts.Generous;
        while (redis.IsConnected && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        // In less than a window (a machine that stalls the run makes it try again): the share's fixed windows are at most two.
        var granted = await WallClock.InOneWindowAsync(async () =>
        {
            var count = 0;
            for (var i = 0; i < 20; i++)
                count += await AcquiredAsync(limiter, RequestOf(instance, tenant)) ? 1 : 0;
            return count;
        });

        Assert.False(redis.IsConnected);
        Assert.InRange(granted, 5, 10); // this instance's share of 10 over 2 instances a second (the 20 may span two of its windows)
    }

    [Fact]
    public void Store_IsReadAtRegistration_AndRedisNeedsAConfiguration()
    {
        static Microsoft.Extensions.Configuration.IConfiguration Config(params (string, string)[] values) =>
            new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Item1, v.Item2))).Build();
        var none = new TenantPortal.Data.Options.RedisOptions();
        var configured = new TenantPortal.Data.Options.RedisOptions { Configuration = "127.0.0.1:6379" };

        Assert.Equal(RateLimitStore.Memory, RateLimitingOptions.ReadStore(Config(), none));
        Assert.Equal(RateLimitStore.Redis, RateLimitingOptions.ReadStore(Config(("RateLimiting:Store", "redis")), configured));
        var missing = Assert.Throws<TenantPortal.Data.Options.InvalidSettingException>(() => RateLimitingOptions.ReadStore(Config(("RateLimiting:Store", "Redis")), none));
        Assert.Equal("Redis:Configuration", missing.Key);
        Assert.Contains("RateLimiting:Store=Redis", missing.Message);
        Assert.Equal("RateLimiting:Store", Assert.Throws<TenantPortal.Data.Options.InvalidSettingException>(() => RateLimitingOptions.ReadStore(Config(("RateLimiting:Store", "Disk")), configured)).Key);
    }
}
