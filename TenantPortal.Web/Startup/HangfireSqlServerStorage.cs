using Hangfire.SqlServer;

namespace TenantPortal.Web.Startup;

/// <summary>Hangfire's SQL Server storage as Hangfire 1.8 recommends it, shared by every portal instance.</summary>
public static class HangfireSqlServerStorageOptions
{
    /// <summary>The schema of Hangfire's tables, apart from the portal's (and from row-level security's).</summary>
    public const string SchemaName = "hangfire";

    /// <summary>
    /// The recommended options: batched commands, sliding invisibility (no long-running transaction per job), polling
    /// without delay (the queue is read with a blocking fetch), read-committed isolation, no global application locks, and
    /// the schema created or upgraded at start-up at its newest version, so the schema-dependent options need no detection.
    /// </summary>
    public static SqlServerStorageOptions Create() => new()
    {
        CommandBatchMaxTimeout = TimeSpan.FromMinutes(5),
        SlidingInvisibilityTimeout = TimeSpan.FromMinutes(5),
        QueuePollInterval = TimeSpan.Zero,
        UseRecommendedIsolationLevel = true,
        DisableGlobalLocks = true,
        TryAutoDetectSchemaDependentOptions = false,
        SchemaName = SchemaName,
        PrepareSchemaIfNecessary = true,
    };
}
