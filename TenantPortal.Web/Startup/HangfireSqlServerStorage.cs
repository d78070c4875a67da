using System.Data;
using System.Data.Common;
using Hangfire;
using Hangfire.SqlServer;
using Microsoft.Data.SqlClient;
using TenantPortal.Data.Options;

namespace TenantPortal.Web.Startup;

/// <summary>
/// Hangfire's SQL Server storage as Hangfire 1.8 recommends it, shared by every portal instance, in a schema of its own.
/// The schema is installed by <c>--migrate-only</c> as the deployment login (<see cref="InstallSchemaAsync(string, CancellationToken)"/>);
/// the instances, whose login has no DDL rights, prepare it themselves only where migrations run at start-up
/// (<c>Database:AutoMigrate</c>), as on PostgreSQL (<see cref="HangfirePostgreSqlStorage"/>).
/// </summary>
public static class HangfireSqlServerStorage
{
    /// <summary>The schema of Hangfire's tables, apart from the portal's (and from row-level security's).</summary>
    public const string SchemaName = "hangfire";

    /// <summary>
    /// The recommended options: batched commands, sliding invisibility (no long-running transaction per job), polling
    /// without delay (the queue is read with a blocking fetch), read-committed isolation, no global application locks, and
    /// the schema taken to be at its newest version (installed by the deployment step), so the schema-dependent options
    /// need no detection; prepared at start-up only when <paramref name="prepareSchema"/>.
    /// </summary>
    public static SqlServerStorageOptions Create(bool prepareSchema) => new()
    {
        CommandBatchMaxTimeout = TimeSpan.FromMinutes(5),
        SlidingInvisibilityTimeout = TimeSpan.FromMinutes(5),
        QueuePollInterval = TimeSpan.Zero,
        UseRecommendedIsolationLevel = true,
        DisableGlobalLocks = true,
        TryAutoDetectSchemaDependentOptions = false,
        SchemaName = SchemaName,
        PrepareSchemaIfNecessary = prepareSchema,
    };

    /// <summary>The options for <paramref name="database"/>: the schema prepared at start-up only with <c>Database:AutoMigrate</c>.</summary>
    public static SqlServerStorageOptions Options(DatabaseOptions database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return Create(prepareSchema: database.AutoMigrate);
    }

    /// <summary>Uses the SQL Server storage on the portal's database.</summary>
    public static IGlobalConfiguration Use(IGlobalConfiguration configuration, DatabaseOptions database) =>
        configuration.UseSqlServerStorage(database.ConnectionString, Options(database));

    /// <summary>Creates or upgrades Hangfire's schema on <paramref name="connectionString"/> (the deployment step, as the deployment login).</summary>
    public static async Task InstallSchemaAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new SqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await InstallSchemaAsync(connection, cancellationToken);
    }

    /// <summary>
    /// Runs Hangfire's install script (<see cref="SqlServerObjectsInstaller"/>) for schema <see cref="SchemaName"/> on an
    /// open connection, as one batch without a timeout, with its heavy migrations on: a deployment step may rewrite
    /// Hangfire's big tables, which an instance's start-up must not. The script takes an application lock, so two
    /// deployments at once install it one after the other.
    /// </summary>
    public static async Task InstallSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.State != ConnectionState.Open)
            await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = SqlServerObjectsInstaller.GetInstallScript(SchemaName, enableHeavyMigrations: true);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
