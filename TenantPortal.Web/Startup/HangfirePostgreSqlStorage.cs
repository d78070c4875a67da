using Hangfire;
using Hangfire.PostgreSql;
using Npgsql;

namespace TenantPortal.Web.Startup;

/// <summary>
/// Hangfire's PostgreSQL storage (Hangfire.PostgreSql), shared by every portal instance, in a schema of its own. The schema
/// is installed by <c>--migrate-only</c> as the owner role (<see cref="InstallSchemaAsync"/>); the instances, which connect
/// as a role that owns nothing, prepare it themselves only where migrations run at start-up (<c>Database:AutoMigrate</c>).
/// </summary>
public static class HangfirePostgreSqlStorage
{
    /// <summary>The schema of Hangfire's tables, apart from the portal's (and from row-level security's).</summary>
    public const string SchemaName = "hangfire";

    /// <summary>
    /// The options: sliding invisibility (no transaction held open per running job) and the schema prepared at start-up
    /// only when <paramref name="prepareSchema"/>.
    /// </summary>
    public static PostgreSqlStorageOptions Create(bool prepareSchema) => new()
    {
        SchemaName = SchemaName,
        PrepareSchemaIfNecessary = prepareSchema,
        UseSlidingInvisibilityTimeout = true,
        InvisibilityTimeout = TimeSpan.FromMinutes(5),
        QueuePollInterval = TimeSpan.FromSeconds(1),
        DistributedLockTimeout = TimeSpan.FromMinutes(1),
    };

    /// <summary>Uses the PostgreSQL storage on <paramref name="connectionString"/>.</summary>
    public static IGlobalConfiguration Use(IGlobalConfiguration configuration, string connectionString, bool prepareSchema) =>
        configuration.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString), Create(prepareSchema));

    /// <summary>Creates or upgrades Hangfire's schema (the deployment step, as the owner role).</summary>
    public static async Task InstallSchemaAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        PostgreSqlObjectsInstaller.Install(connection, SchemaName);
    }
}
