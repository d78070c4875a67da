namespace TenantPortal.Data.Services;

/// <summary>
/// One tenant's figures for the operators' fleet view in the current period, as <see cref="FleetSnapshotRefresher"/>
/// last computed them from the live data (rollups, events past the rollup watermark, the latest storage level, the plan,
/// overrides and members). The fleet list and summary filter and sort on these columns instead of computing nine
/// subqueries per tenant. Operator-only: no tenant reads it, and a tenant's deletion removes its row (cascade).
/// </summary>
public class FleetUsageSnapshot
{
    /// <summary>The tenant (one row each).</summary>
    public Guid TenantId { get; set; }

    /// <summary>The calendar month (UTC) the figures belong to; a row of another month is recomputed.</summary>
    public DateTimeOffset PeriodStart { get; set; }

    /// <summary>Number of members.</summary>
    public int Members { get; set; }

    /// <summary>This period's API calls as a share of the effective quota, in percent; null when unlimited.</summary>
    public double? ApiCallsPercent { get; set; }

    /// <summary>The latest storage level as a share of the effective quota, in percent; null when unlimited.</summary>
    public double? StoragePercent { get; set; }

    /// <summary>This period's GPU hours as a share of the effective quota, in percent; null when unlimited.</summary>
    public double? GpuHoursPercent { get; set; }

    /// <summary>The highest of the three percentages (null when all are unlimited): the quota state, indexed.</summary>
    public double? MaxPercent { get; set; }

    /// <summary>
    /// The earliest storage reading timestamped after <see cref="RefreshedAt"/> (clock skew lets a reading be a few minutes
    /// ahead): once that time has come the level may have changed without a new event, so the row is recomputed.
    /// </summary>
    public DateTimeOffset? LevelPendingAt { get; set; }

    /// <summary>When the row was computed.</summary>
    public DateTimeOffset RefreshedAt { get; set; }
}
