using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Data.Options;

namespace TenantPortal.Data.Services;

/// <summary>
/// At start-up and in <c>--migrate-only</c>, right after <see cref="DatabaseReachability"/>: a SQL Server older than the
/// minimum (<see cref="MinimumName"/>) stops the start with one line naming it, instead of failing later on a statement
/// the server does not know. Azure SQL Database and Azure SQL Managed Instance are always current and pass. Other
/// providers pass.
/// </summary>
public sealed class SqlServerVersionCheck(PortalDbContext db, DatabaseOptions options)
{
    /// <summary>The oldest supported major version: SQL Server 2019.</summary>
    public const int MinimumMajorVersion = 15;

    /// <summary>The minimum as the message and the README name it.</summary>
    public const string MinimumName = "SQL Server 2019 (15.x)";

    /// <summary><c>SERVERPROPERTY('EngineEdition')</c> of Azure SQL Database.</summary>
    public const int AzureSqlDatabaseEdition = 5;

    /// <summary><c>SERVERPROPERTY('EngineEdition')</c> of Azure SQL Managed Instance.</summary>
    public const int AzureSqlManagedInstanceEdition = 8;

    /// <summary>Reads the engine edition (Azure's editions report the version of their own release train).</summary>
    public const string EngineEditionSql = "SELECT CAST(SERVERPROPERTY('EngineEdition') AS int);";

    /// <summary>Reads the major version, e.g. <c>15</c> (NULL before SQL Server 2012).</summary>
    public const string ProductMajorVersionSql = "SELECT CAST(SERVERPROPERTY('ProductMajorVersion') AS nvarchar(128));";

    /// <summary>
    /// Throws <see cref="InvalidSettingException"/> naming <c>ConnectionStrings:Portal</c> and the minimum when the server
    /// is older. <paramref name="databaseExists"/> false (a start that is about to create it): asks the server's
    /// <c>master</c> database, so that an old server is refused before anything is created on it.
    /// </summary>
    public async Task EnsureSupportedAsync(bool databaseExists, CancellationToken cancellationToken)
    {
        if (options.Provider != DatabaseProvider.SqlServer)
            return;
        if (databaseExists)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await CheckAsync(db.Database.GetDbConnection(), cancellationToken);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
            return;
        }
        var master = new SqlConnectionStringBuilder(options.ConnectionString) { InitialCatalog = "master" };
        await using var connection = new SqlConnection(master.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await CheckAsync(connection, cancellationToken);
    }

    /// <summary>Reads the edition and the version on an open <paramref name="connection"/> and throws when <see cref="Refusal"/> refuses them.</summary>
    public static async Task CheckAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var edition = await ScalarAsync(connection, EngineEditionSql, cancellationToken);
        var major = await ScalarAsync(connection, ProductMajorVersionSql, cancellationToken);
        var refusal = Refusal(edition is null or DBNull ? 0 : Convert.ToInt32(edition, CultureInfo.InvariantCulture), major as string);
        if (refusal is not null)
            throw new InvalidSettingException($"ConnectionStrings:{DatabaseOptions.ConnectionStringName}", refusal);
    }

    /// <summary>
    /// Null when a server of <paramref name="engineEdition"/> and <paramref name="productVersion"/> (the major version,
    /// <c>15</c>, or a whole version, <c>15.0.2000.5</c>; null before SQL Server 2012) is supported, else the reason.
    /// </summary>
    public static string? Refusal(int engineEdition, string? productVersion)
    {
        if (engineEdition is AzureSqlDatabaseEdition or AzureSqlManagedInstanceEdition)
            return null;
        var text = productVersion?.Trim() ?? "";
        var majorText = text.Split('.')[0];
        if (int.TryParse(majorText, NumberStyles.None, CultureInfo.InvariantCulture, out var major) && major >= MinimumMajorVersion)
            return null;
        var found = text.Length == 0 ? "older than SQL Server 2012 (it reports no major version)" : $"SQL Server version {text}";
        return $"the server is {found}; TenantPortal needs {MinimumName} or later, Azure SQL Database or Azure SQL Managed Instance.";
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        if (connection.State != ConnectionState.Open)
            await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
