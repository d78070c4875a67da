using TenantPortal.Data.Options;

namespace TenantPortal.Web.Startup;

/// <summary>Hangfire's SQL Server schema (<see cref="HangfireSqlServerStorage.InstallSchemaAsync(string, CancellationToken)"/>) on the portal's database.</summary>
public sealed class HangfireSqlServerSchemaInstaller(DatabaseOptions database) : IJobSchemaInstaller
{
    /// <inheritdoc />
    public Task InstallAsync(CancellationToken cancellationToken) =>
        HangfireSqlServerStorage.InstallSchemaAsync(database.ConnectionString, cancellationToken);
}
