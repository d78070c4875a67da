using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Data.Options;

namespace TenantPortal.Data.Services;

/// <summary>
/// At start-up, before anything else touches a server database: opens one connection, so that a wrong host, port, login or
/// database stops the start with one line naming <c>ConnectionStrings:Portal</c> instead of failing on the first request.
/// </summary>
public sealed class DatabaseReachability(PortalDbContext db, DatabaseOptions options)
{
    /// <summary>Throws <see cref="InvalidSettingException"/> when the configured server can't be reached or refuses the login.</summary>
    public async Task EnsureReachableAsync(CancellationToken cancellationToken)
    {
        if (options.Provider == DatabaseProvider.Sqlite)
            return;
        try
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.CloseConnectionAsync();
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new InvalidSettingException($"ConnectionStrings:{DatabaseOptions.ConnectionStringName}",
                $"can't connect to {options.Provider}: {Innermost(ex).Message}");
        }
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
            ex = ex.InnerException;
        return ex;
    }
}
