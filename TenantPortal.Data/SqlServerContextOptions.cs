using Microsoft.EntityFrameworkCore;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Data;

/// <summary>The one place that configures a SQL Server context: retries on transient errors and the session context for row-level security.</summary>
public static class SqlServerContextOptions
{
    /// <summary>Retries of an operation that failed with a transient error (failover, throttling, a dropped connection).</summary>
    public const int MaxRetryCount = 5;

    /// <summary>The longest pause between two attempts (the delays grow exponentially up to it).</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The compatibility level EF Core generates SQL for: 150, SQL Server 2019, the oldest the portal supports
    /// (<see cref="Services.SqlServerVersionCheck"/>). EF Core 10's default too, pinned so that an EF Core upgrade that
    /// raises its default can't make the portal send SQL Server 2022's functions (GREATEST, DATETRUNC, …).
    /// </summary>
    public const int CompatibilityLevel = 150;

    /// <summary>Uses SQL Server on <paramref name="connectionString"/> with <c>EnableRetryOnFailure</c>, SQL for <see cref="CompatibilityLevel"/> and the session-context interceptor.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString, TenantSessionContextInterceptor sessionContext)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sessionContext);
        return options
            .UseSqlServer(connectionString, sql => sql
                .EnableRetryOnFailure(MaxRetryCount, MaxRetryDelay, errorNumbersToAdd: null)
                .UseCompatibilityLevel(CompatibilityLevel))
            .AddInterceptors(sessionContext);
    }
}
