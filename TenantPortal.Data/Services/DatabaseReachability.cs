using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TenantPortal.Data.Options;

namespace TenantPortal.Data.Services;

/// <summary>
/// At start-up, before anything else touches a server database: opens one connection, so that a wrong host, port, login or
/// database stops the start with one line naming <c>ConnectionStrings:Portal</c> instead of failing on the first request.
/// A database that does not exist yet is no error where the start migrates (<c>--migrate-only</c>,
/// <c>Database:AutoMigrate</c>): the migrations create it.
/// </summary>
public sealed class DatabaseReachability(PortalDbContext db, DatabaseOptions options)
{
    /// <summary>Throws <see cref="InvalidSettingException"/> when the configured server can't be reached, refuses the login, or has no such database.</summary>
    public Task EnsureReachableAsync(CancellationToken cancellationToken) => EnsureReachableAsync(migrating: false, cancellationToken);

    /// <summary>
    /// Throws <see cref="InvalidSettingException"/> when the configured server can't be reached or refuses the login, or
    /// when the database does not exist and this start does not migrate (<paramref name="migrating"/> false). Returns
    /// whether the database exists (SQLite: always true; the migrations create the file).
    /// </summary>
    public async Task<bool> EnsureReachableAsync(bool migrating, CancellationToken cancellationToken)
    {
        if (options.Provider == DatabaseProvider.Sqlite)
            return true;
        try
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.CloseConnectionAsync();
            return true;
        }
        catch (Exception ex) when (IsMissingDatabase(ex))
        {
            if (migrating)
                return false;
            throw new InvalidSettingException($"ConnectionStrings:{DatabaseOptions.ConnectionStringName}",
                $"the database does not exist on the {options.Provider} server ({Innermost(ex).Message}); create it with the migrations first: "
                + "--migrate-only as the deployment login, or Database:AutoMigrate=true.");
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new InvalidSettingException($"ConnectionStrings:{DatabaseOptions.ConnectionStringName}",
                $"can't connect to {options.Provider}: {Innermost(ex).Message}");
        }
    }

    // The server answered that the database named in the connection string does not exist: SQL Server 4060 ("Cannot
    // open database … requested by the login"), PostgreSQL 3D000 (invalid_catalog_name).
    private static bool IsMissingDatabase(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is SqlException { Number: 4060 } || e is PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName })
                return true;
        }
        return false;
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
            ex = ex.InnerException;
        return ex;
    }
}
