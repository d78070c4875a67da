using TenantPortal.Data.Options;

namespace TenantPortal.Web.Startup;

/// <summary>Hangfire's PostgreSQL schema (<see cref="HangfirePostgreSqlStorage.InstallSchemaAsync"/>) on the portal's database.</summary>
public sealed class HangfirePostgreSqlSchemaInstaller(DatabaseOptions database) : IJobSchemaInstaller
{
    /// <inheritdoc />
    public Task InstallAsync(CancellationToken cancellationToken) =>
        HangfirePostgreSqlStorage.InstallSchemaAsync(database.ConnectionString, cancellationToken);
}
