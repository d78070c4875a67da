namespace TenantPortal.Web.Startup;

/// <summary>
/// <c>dotnet TenantPortal.Web.dll --migrate-only</c>: applies the configured provider's migrations and exits, without
/// serving requests or running jobs. A deployment step runs it once before the instances start (docker-compose's
/// <c>migrate</c> service), so that no instance needs <c>Database:AutoMigrate</c>.
/// </summary>
public static class MigrateOnly
{
    /// <summary>The argument that selects this mode.</summary>
    public const string Argument = "--migrate-only";

    /// <summary>True when the process was started to migrate only.</summary>
    public static bool IsRequested(string[] args) => args.Contains(Argument, StringComparer.Ordinal);

    /// <summary>The arguments without this mode's switch, for the configuration (which reads <c>--key value</c> pairs).</summary>
    public static string[] WithoutArgument(string[] args) => [.. args.Where(a => !string.Equals(a, Argument, StringComparison.Ordinal))];

    /// <summary>Brings the schema up to date and returns the process exit code.</summary>
    public static async Task<int> RunAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        // Reachable, a supported server version, migrated (the database created first where it does not exist yet).
        await DatabaseStartup.PrepareAsync(scope.ServiceProvider, migrate: true, cancellationToken);
        // Hangfire's schema (SQL Server or PostgreSQL) is installed here, by the deployment login: the instances' may create nothing.
        if (app.Services.GetService<IJobSchemaInstaller>() is { } jobSchema)
            await jobSchema.InstallAsync(cancellationToken);
        Console.WriteLine("TenantPortal: the database schema is up to date.");
        return 0;
    }
}
