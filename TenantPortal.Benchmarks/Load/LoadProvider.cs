namespace TenantPortal.Benchmarks.Load;

/// <summary>The database a load run puts under the portal (<c>--provider sqlite|postgresql</c>).</summary>
public enum LoadProvider
{
    /// <summary>A SQLite file per scenario (the default).</summary>
    Sqlite,

    /// <summary>A database per scenario on a PostgreSQL server (<c>--postgres</c>).</summary>
    PostgreSql,
}
