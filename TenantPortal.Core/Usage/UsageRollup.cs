using TenantPortal.Core.Common;

namespace TenantPortal.Core.Usage;

/// <summary>
/// Aggregated usage of one tenant, metric and time bucket. Counters use <see cref="Sum"/>;
/// gauges use <see cref="LastValue"/> (the level at the end of the bucket) and
/// <see cref="LevelHours"/> (the level integrated over time, from which GB-months follow).
/// </summary>
public class UsageRollup : ITenantOwned
{
    /// <summary>Primary key.</summary>
    public long Id { get; set; }

    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>The metric.</summary>
    public UsageMetric Metric { get; set; }

    /// <summary>Bucket size.</summary>
    public RollupGranularity Granularity { get; set; }

    /// <summary>Start of the bucket (UTC, aligned to the granularity).</summary>
    public DateTimeOffset PeriodStart { get; set; }

    /// <summary>Sum of the quantities in the bucket.</summary>
    public decimal Sum { get; set; }

    /// <summary>Number of events in the bucket.</summary>
    public long EventCount { get; set; }

    /// <summary>Gauges: the level reported by the latest event in the bucket.</summary>
    public decimal? LastValue { get; set; }

    /// <summary>Gauges: the timestamp of that latest event.</summary>
    public DateTimeOffset? LastValueAt { get; set; }

    /// <summary>Gauges: the level integrated over the bucket, in unit-hours (GB-hours for storage).</summary>
    public decimal LevelHours { get; set; }

    /// <summary>When the rollup job last changed the row.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}
