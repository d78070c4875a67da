using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using RedisRateLimiting;
using StackExchange.Redis;
using TenantPortal.Core.Tenants;
using TenantPortal.Web.Options;

namespace TenantPortal.Web.Security;

/// <summary>
/// The API's rate limit: a one-second window per tenant (from the API key), <c>RateLimiting:RequestsPerSecond</c> by
/// default or the tier's override. With <c>RateLimiting:Store=Memory</c> (default) limits are kept per instance: with
/// <c>RateLimiting:Instances</c> = N each instance enforces 1/N of the limit (see README, Scaling out). With
/// <c>RateLimiting:Store=Redis</c> a sliding one-second window is counted in Redis and the whole limit holds across all instances
/// together; while Redis is unreachable each instance enforces its share again (<see cref="SharedTenantRateLimiter"/>).
/// Refusals answer 429 with <c>Retry-After</c> and a problem body.
/// </summary>
public static class TenantRateLimiting
{
    /// <summary>The policy name used by the API group.</summary>
    public const string Policy = "tenant-api";

    /// <summary>Registers the limiter.</summary>
    public static IServiceCollection AddTenantRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(Policy, context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptions<RateLimitingOptions>>().Value;
                return limits.Store == RateLimitStore.Redis
                    ? SharedPartition(context, limits, context.RequestServices.GetRequiredService<IConnectionMultiplexer>(),
                        context.RequestServices.GetRequiredService<ILoggerFactory>())
                    : Partition(context, limits);
            });
            options.OnRejected = async (rejection, cancellationToken) =>
            {
                var seconds = RetryAfterSeconds(rejection.Lease);
                rejection.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                rejection.HttpContext.RequestServices.GetRequiredService<TenantPortal.Web.Observability.PortalMetrics>().RateLimited();
                if (Guid.TryParse(rejection.HttpContext.User.FindFirstValue(ApiKeyAuthenticationHandler.TenantClaim), out var tenantId))
                    rejection.HttpContext.RequestServices.GetRequiredService<TenantPortal.Web.Observability.ApiRefusalCounter>()
                        .Count(tenantId, TenantPortal.Core.Usage.ApiRefusalDay.RateLimited);
                if (rejection.HttpContext.Request.Path.StartsWithSegments(TenantPortal.Data.Services.Scim.ScimTokenService.BasePath, StringComparison.OrdinalIgnoreCase))
                {
                    await Endpoints.Scim.ScimResult.WriteErrorAsync(rejection.HttpContext, StatusCodes.Status429TooManyRequests, null,
                        $"This workspace's API limit per second (shared by SCIM) is reached; retry after {seconds} s.");
                    return;
                }
                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                        detail: $"This workspace's API limit per second is reached; retry after {seconds} s.")
                    .ExecuteAsync(rejection.HttpContext);
            };
        });
        return services;
    }

    /// <summary>The partition of a request (<c>RateLimiting:Store=Memory</c>): its tenant, with this instance's share of that tenant's limit.</summary>
    public static RateLimitPartition<string> Partition(HttpContext context, RateLimitingOptions options)
    {
        var (tenant, limit) = TenantLimit(context, options);
        var share = options.PerInstance(limit);
        return RateLimitPartition.GetFixedWindowLimiter($"{tenant}:{share}", _ => ShareOptions(share));
    }

    /// <summary>
    /// The partition of a request with <c>RateLimiting:Store=Redis</c>: its tenant, with the whole limit counted in Redis,
    /// or this instance's share while Redis is unreachable.
    /// </summary>
    public static RateLimitPartition<string> SharedPartition(HttpContext context, RateLimitingOptions options, IConnectionMultiplexer redis, ILoggerFactory loggers)
    {
        var (tenant, limit) = TenantLimit(context, options);
        return RateLimitPartition.Get($"{tenant}:{limit}", key => new SharedTenantRateLimiter(
            new RedisSlidingWindowRateLimiter<string>(RedisKeyPrefix + key, new RedisSlidingWindowRateLimiterOptions
            {
                // At most the limit in any second, across every instance: each grant is kept in Redis with the time
                // (ms) it was asked at. The library's fixed window is not used: it counts whole Unix seconds and, for a
                // request asked as a second ends but counted by Redis after it (a busy Redis or network), finds its
                // window expired and opens a new one, every time: such requests all passed (SharedRateLimitingTests).
                PermitLimit = limit,
                Window = TimeSpan.FromSeconds(1),
                ConnectionMultiplexerFactory = () => redis,
            }),
            new FixedWindowRateLimiter(ShareOptions(options.PerInstance(limit))),
            redis,
            loggers.CreateLogger(typeof(TenantRateLimiting).FullName!)));
    }

    /// <summary>Before each tenant's key in Redis (the library adds its own <c>rl:fw:</c> and braces).</summary>
    public const string RedisKeyPrefix = "tenantportal:api:";

    private static (string Tenant, int Limit) TenantLimit(HttpContext context, RateLimitingOptions options)
    {
        var tenant = context.User.FindFirstValue(ApiKeyAuthenticationHandler.TenantClaim)
            ?? $"ip:{context.Connection.RemoteIpAddress}";
        var limit = Enum.TryParse<SubscriptionTier>(context.User.FindFirstValue(ApiKeyAuthenticationHandler.TierClaim), out var tier)
            ? options.For(tier)
            : options.RequestsPerSecond;
        return (tenant, limit);
    }

    private static FixedWindowRateLimiterOptions ShareOptions(int limit) => new()
    {
        PermitLimit = limit,
        Window = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    // The in-memory limiter says how long as a TimeSpan; the shared one says nothing: its window is one second, so the
    // oldest grant in it leaves it within a second.
    internal static int RetryAfterSeconds(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
}
