using Microsoft.Extensions.Configuration;

namespace TenantPortal.Data.Options;

/// <summary>The <c>Database</c> section and the <c>Portal</c> connection string.</summary>
public sealed record DatabaseOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Database";

    /// <summary>The connection string name.</summary>
    public const string ConnectionStringName = "Portal";

    /// <summary>The default connection string (SQLite file under App_Data).</summary>
    public const string DefaultSqliteConnectionString = "Data Source=App_Data/tenantportal.db";

    /// <summary>Which engine.</summary>
    public DatabaseProvider Provider { get; init; }

    /// <summary>Apply migrations at start-up (default: on for SQLite, off for the server databases).</summary>
    public bool AutoMigrate { get; init; }

    /// <summary>The connection string.</summary>
    public string ConnectionString { get; init; } = "";

    /// <summary>
    /// Reads and checks the section. The provider decides which context type is registered, so it is read
    /// when services are added, not later: a bad value throws <see cref="InvalidSettingException"/> naming the key.
    /// </summary>
    public static DatabaseOptions Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var providerText = section["Provider"];
        DatabaseProvider provider;
        if (string.IsNullOrWhiteSpace(providerText))
            provider = DatabaseProvider.Sqlite;
        else if (!Enum.TryParse(providerText, ignoreCase: true, out provider) || !Enum.IsDefined(provider))
            throw new InvalidSettingException($"{SectionName}:Provider", $"'{providerText}' is not supported; use Sqlite, SqlServer or PostgreSql.");

        var autoMigrateText = section["AutoMigrate"];
        bool autoMigrate;
        if (string.IsNullOrWhiteSpace(autoMigrateText))
            autoMigrate = provider == DatabaseProvider.Sqlite;
        else if (!bool.TryParse(autoMigrateText, out autoMigrate))
            throw new InvalidSettingException($"{SectionName}:AutoMigrate", $"'{autoMigrateText}' is not true or false.");

        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (provider != DatabaseProvider.Sqlite)
                throw new InvalidSettingException($"ConnectionStrings:{ConnectionStringName}", $"is required with Database:Provider={provider}.");
            connectionString = DefaultSqliteConnectionString;
        }
        if (provider == DatabaseProvider.PostgreSql)
        {
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            }
            catch (ArgumentException ex)
            {
                throw new InvalidSettingException($"ConnectionStrings:{ConnectionStringName}", $"is not a PostgreSQL connection string: {ex.Message}");
            }
        }
        return new DatabaseOptions { Provider = provider, AutoMigrate = autoMigrate, ConnectionString = connectionString };
    }
}
