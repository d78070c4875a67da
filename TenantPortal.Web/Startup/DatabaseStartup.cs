using TenantPortal.Data.Services;

namespace TenantPortal.Web.Startup;

/// <summary>
/// The database's part of a start, run before anything else touches the database (the job storage and its schema, the
/// recurring jobs, the operator, the Data Protection keys): the server is reachable, supported
/// (<see cref="SqlServerVersionCheck"/>) and, where this start migrates, migrated. <c>--migrate-only</c> and the portal's
/// start (<see cref="StartupTasks.InitializeAsync"/>, with <c>Database:AutoMigrate</c>) run it the same way.
/// </summary>
public static class DatabaseStartup
{
    /// <summary>Checks the server and applies the migrations when <paramref name="migrate"/>.</summary>
    public static async Task PrepareAsync(IServiceProvider scopedServices, bool migrate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scopedServices);
        var exists = await scopedServices.GetRequiredService<DatabaseReachability>().EnsureReachableAsync(migrate, cancellationToken);
        await scopedServices.GetRequiredService<SqlServerVersionCheck>().EnsureSupportedAsync(exists, cancellationToken);
        if (migrate)
            await scopedServices.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
    }
}
