using Npgsql;
using StackExchange.Redis;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// The servers of the PostgreSQL and scale-out scenarios: reached and described for the report (version and the settings
/// that change what a figure means), or a <see cref="LoadServerUnavailableException"/> saying how to start them.
/// </summary>
public static class LoadServers
{
    /// <summary>How to get the servers the harness uses by default.</summary>
    public const string HowToStart =
        "start the tests' servers with deploy/test-servers.sh up (PostgreSQL on 127.0.0.1:55432, Redis on 127.0.0.1:56379), or name others with --postgres / --redis";

    /// <summary>A PostgreSQL connection string without its password, for the log and the report.</summary>
    public static string Redacted(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.Password is not null)
            builder.Password = "***";
        return builder.ToString();
    }

    /// <summary>A StackExchange.Redis configuration without its password.</summary>
    public static string RedactedRedis(string configuration) => ConfigurationOptions.Parse(configuration).ToString(includePassword: false);

    /// <summary>The PostgreSQL server's version and durability settings; throws <see cref="LoadServerUnavailableException"/> when it can't be reached.</summary>
    public static async Task<(string Description, bool Fsync)> DescribePostgreSqlAsync(string server, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ToString());
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(
                "SELECT current_setting('server_version'), current_setting('fsync'), current_setting('synchronous_commit'), current_setting('full_page_writes'), current_setting('shared_buffers')", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var fsync = reader.GetString(1);
            return ($"PostgreSQL {reader.GetString(0)} at {Redacted(server)}: fsync={fsync}, synchronous_commit={reader.GetString(2)}, full_page_writes={reader.GetString(3)}, shared_buffers={reader.GetString(4)}",
                fsync == "on");
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new LoadServerUnavailableException($"The PostgreSQL server ({Redacted(server)}) can't be reached: {ex.Message}. To run this, {HowToStart}.", ex);
        }
    }

    /// <summary>
    /// Connects to Redis as the portal does (reconnecting after an outage); throws <see cref="LoadServerUnavailableException"/>
    /// when no server answers. The caller disposes the connection.
    /// </summary>
    public static async Task<ConnectionMultiplexer> ConnectRedisAsync(string configuration, CancellationToken cancellationToken = default)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        var connection = await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(cancellationToken);
        if (!connection.IsConnected)
        {
            await connection.DisposeAsync();
            throw new LoadServerUnavailableException($"No Redis server answers at {RedactedRedis(configuration)}. To run this, {HowToStart}.");
        }
        return connection;
    }

    /// <summary>The Redis server's version, for the report (from the connection's handshake: INFO and CONFIG need admin mode, which the harness leaves off).</summary>
    public static string DescribeRedis(IConnectionMultiplexer redis, string configuration)
    {
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        return $"Redis {server.Version} ({server.ServerType}) at {RedactedRedis(configuration)}";
    }
}
