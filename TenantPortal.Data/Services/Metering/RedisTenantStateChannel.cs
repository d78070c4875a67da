using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// Keeps every instance's <see cref="TenantQuotaStateCache"/> current under <c>Metering:QuotaCache=Redis</c>: a save that
/// changes a tenant's plan, status or overrides publishes the tenant's id on a Redis channel (from the same interceptor
/// that invalidates the local cache), and every instance forgets that tenant's state. A message sent while an instance is
/// disconnected never reaches it, so an instance forgets every tenant's state when its connection fails and when it comes
/// back (and the quota check does not use the cached state while Redis is away).
/// The state stays per instance rather than in Redis: it is read on every check, and a local read keeps the check at one
/// round trip (the totals); a change of plan or status is rare, and the message reaches the others within milliseconds.
/// </summary>
public sealed class RedisTenantStateChannel(IConnectionMultiplexer redis, TenantQuotaStateCache states, ILogger<RedisTenantStateChannel> logger)
    : IHostedService
{
    /// <summary>The channel the tenants' ids are published on.</summary>
    public static readonly RedisChannel Channel = RedisChannel.Literal("tenantportal:quota-tenant-state");

    /// <summary>Tells every instance (this one too) that the tenant's state changed. Never throws.</summary>
    public void Publish(Guid tenantId)
    {
        try
        {
            // Fire and forget: while disconnected the client keeps it for its reconnect, and the others forget every
            // state on their own reconnect.
            redis.GetSubscriber().Publish(Channel, tenantId.ToString("N"), CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Tenant {TenantId}'s change could not be published to the other instances.", tenantId);
        }
    }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionFailed += ForgetAll;
        redis.ConnectionRestored += ForgetAll;
        await redis.GetSubscriber().SubscribeAsync(Channel, (_, message) =>
        {
            if (Guid.TryParseExact((string?)message, "N", out var tenantId))
                states.Invalidate(tenantId);
        });
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionFailed -= ForgetAll;
        redis.ConnectionRestored -= ForgetAll;
        if (redis.IsConnected)
            await redis.GetSubscriber().UnsubscribeAsync(Channel);
    }

    private void ForgetAll(object? sender, ConnectionFailedEventArgs e) => states.InvalidateAll();
}
