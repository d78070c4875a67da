using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TenantPortal.Data.Options;

namespace TenantPortal.Data.Services;

/// <summary>Applies the provider's migrations, and on SQLite turns on write-ahead logging (readers never block the writer).</summary>
public sealed class DatabaseMigrator(PortalDbContext db, DatabaseOptions options, ILogger<DatabaseMigrator> logger)
{
    /// <summary>Brings the schema up to date.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
            logger.LogInformation("Applying {Count} migration(s) on {Provider}: {Migrations}", pending.Count, options.Provider, string.Join(", ", pending));
        await db.Database.MigrateAsync(cancellationToken);
        if (options.Provider == DatabaseProvider.Sqlite)
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
