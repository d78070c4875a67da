using System.Data;
using Microsoft.Data.SqlClient;
using TenantPortal.Data.Options;

namespace TenantPortal.Data.Services.Startup;

/// <summary>
/// SQL Server: an application lock owned by the session (<c>sp_getapplock @LockOwner = 'Session'</c>) on a connection
/// of its own, released by <c>sp_releaseapplock</c> (or by the session's end if the instance dies).
/// </summary>
public sealed class SqlServerStartupLock(DatabaseOptions database) : IStartupLock
{
    /// <summary>The batch that asks for the lock: its return code (0 or 1 granted, below 0 not) is the result set.</summary>
    public const string AcquireText = """
        DECLARE @result int;
        EXEC @result = sp_getapplock @Resource = @name, @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = @timeout;
        SELECT @result;
        """;

    /// <summary>The statement that releases it.</summary>
    public const string ReleaseText = "EXEC sp_releaseapplock @Resource = @name, @LockOwner = N'Session';";

    /// <inheritdoc />
    public async Task<IAsyncDisposable> AcquireAsync(string name, CancellationToken cancellationToken)
    {
        var connection = new SqlConnection(database.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = AcquireText;
            command.Parameters.Add(new SqlParameter("@name", SqlDbType.NVarChar, 255) { Value = name });
            command.Parameters.Add(new SqlParameter("@timeout", SqlDbType.Int) { Value = (int)StartupLockTimeout.Value.TotalMilliseconds });
            command.CommandTimeout = (int)StartupLockTimeout.Value.TotalSeconds + 10;
            var result = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            if (result < 0)
                throw StartupLockTimeout.Error(name);
            return new Held(connection, name);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed class Held(SqlConnection connection, string name) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = connection.CreateCommand();
                command.CommandText = ReleaseText;
                command.Parameters.Add(new SqlParameter("@name", SqlDbType.NVarChar, 255) { Value = name });
                await command.ExecuteNonQueryAsync();
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}
