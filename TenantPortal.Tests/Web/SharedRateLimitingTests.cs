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

        var granted = await WallClock.InOneSecondAsync(async () =>
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
        var freeGranted = await WallClock.InOneSecondAsync(async () =>
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
    public async Task TheSharedLimit_IsPerWallClockSecond()
    {
        await using var redis = await TestRedis.ConnectAsync();
        await using var instance = Instance(redis);
        using var limiter = Limiter(new RateLimitingOptions { Store = RateLimitStore.Redis, RequestsPerSecond = 5 });
        var request = RequestOf(instance, $"tenant-{Guid.NewGuid():N}");
        await WallClock.NextSecondAsync();
        var end = DateTimeOffset.UtcNow.AddSeconds(2.5); // the rest of this second and the next two, half of the last

        var granted = 0;
        while (DateTimeOffset.UtcNow < end)
        {
            granted += await AcquiredAsync(limiter, request) ? 1 : 0;
            await Task.Delay(5);
        }

        Assert.Equal(15, granted); // 5 in each of the three seconds touched
    }

    [Fact]
    public async Task ARefusalFromRedis_SaysWhenToRetry()
    {
        await using var redis = await TestRedis.ConnectAsync();
        await using var instance = Instance(redis);
        using var limiter = Limiter(new RateLimitingOptions { Store = RateLimitStore.Redis, RequestsPerSecond = 1 });
        var (first, refused) = await WallClock.InOneSecondAsync(async () =>
        {
            var request = RequestOf(instance, $"tenant-{Guid.NewGuid():N}");
            var acquired = await AcquiredAsync(limiter, request);
            return (acquired, await limiter.AcquireAsync(request));
        });
        using var _ = refused;

        Assert.True(first);
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(RedisRateLimiting.RateLimitMetadataName.RetryAfter, out var seconds));
        Assert.InRange(seconds, 0, 1); // 0 means the next second: the 429 says at least 1
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
        var granted = 0;
        for (var i = 0; i < 20; i++)
            granted += await AcquiredAsync(limiter, RequestOf(instance, tenant)) ? 1 : 0;

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
