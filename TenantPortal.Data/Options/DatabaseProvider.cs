namespace TenantPortal.Data.Options;

/// <summary>The database engines the portal runs on.</summary>
public enum DatabaseProvider
{
    /// <summary>The embedded default: one file under App_Data.</summary>
    Sqlite,
    /// <summary>Production: SQL Server or Azure SQL.</summary>
    SqlServer,
    /// <summary>Production without SQL Server: PostgreSQL (Npgsql), with Hangfire on PostgreSQL and row-level security.</summary>
    PostgreSql,
}
