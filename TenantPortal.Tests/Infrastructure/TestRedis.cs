using StackExchange.Redis;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// The tests' shared Redis, started by <c>deploy/test-servers.sh up</c> (127.0.0.1:56379, or TENANTPORTAL_TEST_REDIS).
/// Shared by everyone's tests: use keys under a prefix of your own (<see cref="NewKeyPrefix"/>), never FLUSHALL or stop it
/// (start an <see cref="OwnRedisServer"/> for that).
/// </summary>
public static class TestRedis
{
    /// <summary>The shared server's StackExchange.Redis connection string.</summary>
    public static string Configuration =>
        Environment.GetEnvironmentVariable("TENANTPORTAL_TEST_REDIS") is { Length: > 0 } configured ? configured : "127.0.0.1:56379";

    /// <summary>A key prefix no other test uses.</summary>
    public static string NewKeyPrefix() => $"test:{Guid.NewGuid():N}:";

    /// <summary>Connects to the shared server; fails saying how to start it when it doesn't answer.</summary>
    public static Task<ConnectionMultiplexer> ConnectAsync() =>
        ConnectAsync(Configuration, "run deploy/test-servers.sh up (or set TENANTPORTAL_TEST_REDIS to a reachable server)");

    /// <summary>Connects to <paramref name="configuration"/> as the portal does (reconnecting after an outage).</summary>
    public static async Task<ConnectionMultiplexer> ConnectAsync(string configuration, string howToStart)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        var connection = await ConnectionMultiplexer.ConnectAsync(options);
        if (!connection.IsConnected)
        {
            await connection.DisposeAsync();
            throw new InvalidOperationException($"No Redis server answers at {configuration}: {howToStart}.");
        }
        return connection;
    }
}
