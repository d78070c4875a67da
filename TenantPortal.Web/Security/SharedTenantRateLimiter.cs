using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace TenantPortal.Web.Security;

/// <summary>
/// One tenant's limiter with <c>RateLimiting:Store=Redis</c>: RedisRateLimiting's sliding window, counted in Redis and so
/// shared by every instance; while Redis is unreachable, or when a call to it fails, this instance's share (the in-memory
/// limiter of <c>RateLimiting:Store=Memory</c>). The library throws when Redis does not answer (a request would get a 500)
/// and waits for its timeout when the connection is down, so the connection's state is checked first and its errors
/// are caught here.
/// </summary>
internal sealed class SharedTenantRateLimiter(RateLimiter shared, RateLimiter share, IConnectionMultiplexer redis, ILogger logger) : RateLimiter
{
    private static readonly RateLimitLease NotDecidedHere = new UndecidedLease();

    /// <summary>
    /// Idle while neither limiter is in use, for as long as the one used last has been: the partitioned limiter disposes
    /// a tenant's limiter idle for ten seconds. (The share alone is unused while Redis answers, and idle since it was
    /// made: a tenant's limiter was made again every ten seconds under steady use.)
    /// </summary>
    public override TimeSpan? IdleDuration =>
        shared.IdleDuration is { } sharedIdle && share.IdleDuration is { } shareIdle
            ? TimeSpan.FromTicks(Math.Min(sharedIdle.Ticks, shareIdle.Ticks))
            : null;

    /// <inheritdoc />
    public override RateLimiterStatistics? GetStatistics() => share.GetStatistics();

    // Redis is asked only asynchronously: a refusal here sends the middleware on to AcquireAsync (as the library does).
    /// <inheritdoc />
    protected override RateLimitLease AttemptAcquireCore(int permitCount) =>
        redis.IsConnected ? NotDecidedHere : share.AttemptAcquire(permitCount);

    /// <inheritdoc />
    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (redis.IsConnected)
        {
            try
            {
                return await shared.AcquireAsync(permitCount, cancellationToken);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.LogWarning(ex, "The shared rate limit in Redis did not answer; this instance's share applies.");
            }
        }
        return await share.AcquireAsync(permitCount, cancellationToken);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            shared.Dispose();
            share.Dispose();
        }
        base.Dispose(disposing);
    }

    private sealed class UndecidedLease : RateLimitLease
    {
        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
