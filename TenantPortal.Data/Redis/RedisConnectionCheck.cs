using Microsoft.Extensions.Hosting;
using StackExchange.Redis;
using TenantPortal.Data.Options;

namespace TenantPortal.Data.Redis;

/// <summary>
/// Connects to Redis when the host starts: a server that can't be reached then stops start-up with one line naming
/// <c>Redis:Configuration</c> (a wrong address is far likelier than an outage at that moment). After start-up the client
/// reconnects by itself, and the features using Redis fall back while it is away.
/// </summary>
public sealed class RedisConnectionCheck(IConnectionMultiplexer connection) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!connection.IsConnected)
        {
            var servers = string.Join(", ", connection.GetEndPoints().Select(e => e.ToString()));
            throw new InvalidSettingException(RedisOptions.ConfigurationKey,
                $"no Redis server answers at {servers} (is it running, and is the address right?).");
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
