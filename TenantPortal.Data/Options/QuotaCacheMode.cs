namespace TenantPortal.Data.Options;

/// <summary>Where the quota check takes the period's use and the tenant's plan from (<c>Metering:QuotaCache</c>).</summary>
public enum QuotaCacheMode
{
    /// <summary>Every check reads the database: right when several instances ingest (SQL Server behind a load balancer).</summary>
    None,

    /// <summary>
    /// Running totals and tenant state kept in this process, loaded once and kept current by this process's ingestion and
    /// saves: right only when this process is the database's one writer (an embedded SQLite file).
    /// </summary>
    Local,

    /// <summary>
    /// Running totals in Redis (<c>Redis:Configuration</c>), shared by every instance and kept exact by every instance's
    /// ingestion (<see cref="Services.Metering.RedisQuotaTotals"/>); tenant state cached per instance and invalidated on all
    /// of them through Redis. With Redis unreachable, checks read the database.
    /// </summary>
    Redis,
}
