using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace TenantPortal.Data;

/// <summary>The one place that configures a PostgreSQL context: one data source per process and retries on transient errors.</summary>
public static class PostgreSqlContextOptions
{
    /// <summary>Retries of an operation that failed with a transient error (failover, a dropped connection, a serialization failure).</summary>
    public const int MaxRetryCount = 5;

    /// <summary>The longest pause between two attempts (the delays grow exponentially up to it).</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>Uses PostgreSQL through <paramref name="dataSource"/> with <c>EnableRetryOnFailure</c>.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dataSource);
        return options.UseNpgsql(dataSource, npgsql => npgsql.EnableRetryOnFailure(MaxRetryCount, MaxRetryDelay, errorCodesToAdd: null));
    }
}
