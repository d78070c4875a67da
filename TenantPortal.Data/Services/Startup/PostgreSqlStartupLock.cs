using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace TenantPortal.Data.Services.Startup;

/// <summary>
/// PostgreSQL: a session-level advisory lock (<c>pg_advisory_lock</c>) on a connection of its own, on a key derived from
/// the name, released by <c>pg_advisory_unlock</c> (or by the session's end if the instance dies).
/// </summary>
public sealed class PostgreSqlStartupLock(NpgsqlDataSource dataSource) : IStartupLock
{
    // PostgreSQL's SQLSTATE for a lock wait ended by lock_timeout.
    private const string LockNotAvailable = "55P03";

    /// <summary>The advisory lock's key for <paramref name="name"/>: the first 8 bytes of its SHA-256.</summary>
    public static long KeyOf(string name) => BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(name)), 0);

    /// <inheritdoc />
    public async Task<IAsyncDisposable> AcquireAsync(string name, CancellationToken cancellationToken)
    {
        var key = KeyOf(name);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            // The timeout applies to this wait only; the session's own is back for the connection's next user.
            command.CommandText = $"SET lock_timeout = '{(long)StartupLockTimeout.Value.TotalMilliseconds}ms'; SELECT pg_advisory_lock(@key); RESET lock_timeout;";
            command.Parameters.AddWithValue("key", key);
            command.CommandTimeout = (int)StartupLockTimeout.Value.TotalSeconds + 10;
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new Held(connection, key);
        }
        catch (PostgresException ex) when (ex.SqlState == LockNotAvailable)
        {
            await connection.DisposeAsync();
            throw StartupLockTimeout.Error(name, ex);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed class Held(NpgsqlConnection connection, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT pg_advisory_unlock(@key)";
                command.Parameters.AddWithValue("key", key);
                await command.ExecuteNonQueryAsync();
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}
