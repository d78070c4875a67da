namespace TenantPortal.Web.Options;

/// <summary>Where Hangfire keeps its jobs.</summary>
public enum JobStorageKind
{
    /// <summary>In the process (single instance, the embedded default).</summary>
    InMemory,
    /// <summary>In SQL Server, shared by every instance.</summary>
    SqlServer,
    /// <summary>In PostgreSQL (Hangfire.PostgreSql), shared by every instance.</summary>
    PostgreSql,
}
