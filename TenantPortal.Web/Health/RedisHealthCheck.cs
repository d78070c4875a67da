using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace TenantPortal.Web.Health;

/// <summary>
/// Redis, when <c>Redis:Configuration</c> is set: Healthy when it answers a PING, Degraded (not Unhealthy) when it doesn't,
/// because the portal keeps serving without it: quota checks read the database and rate limits are per-instance shares.
/// </summary>
public sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    /// <summary>What the check says while Redis is away.</summary>
    public const string Unreachable = "Redis does not answer: quota checks read the database, rate limits are each instance's share.";

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConnected)
            return HealthCheckResult.Degraded(Unreachable);
        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy($"PING answered in {latency.TotalMilliseconds:0.###} ms");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return HealthCheckResult.Degraded(Unreachable, ex);
        }
    }
}
