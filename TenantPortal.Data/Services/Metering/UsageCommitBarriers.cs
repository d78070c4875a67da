using Microsoft.EntityFrameworkCore.Infrastructure;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// The commit barrier of a context's database provider, for code that has a context but no services (the static
/// <see cref="UsageMeter"/>, the rollup): the same barrier <c>AddDataServices</c> registers for that provider.
/// </summary>
internal static class UsageCommitBarriers
{
    /// <summary>EF Core's provider names (<see cref="DatabaseFacade.ProviderName"/>).</summary>
    public const string SqliteProvider = "Microsoft.EntityFrameworkCore.Sqlite";
    public const string SqlServerProvider = "Microsoft.EntityFrameworkCore.SqlServer";
    public const string PostgreSqlProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    private static readonly SqliteUsageCommitBarrier Sqlite = new();
    private static readonly SqlServerUsageCommitBarrier SqlServer = new();
    private static readonly PostgreSqlUsageCommitBarrier PostgreSql = new();

    /// <summary>The barrier for the database behind <paramref name="database"/>.</summary>
    public static IUsageCommitBarrier For(DatabaseFacade database) => database.ProviderName switch
    {
        SqliteProvider => Sqlite,
        SqlServerProvider => SqlServer,
        PostgreSqlProvider => PostgreSql,
        var other => throw new InvalidOperationException($"No usage commit barrier is defined for the database provider '{other}'."),
    };

    /// <summary>Whether ids commit in id order by nature (one writer at a time): the barrier has nothing to wait for.</summary>
    public static bool CommitsInIdOrder(DatabaseFacade database) => database.ProviderName == SqliteProvider;
}
