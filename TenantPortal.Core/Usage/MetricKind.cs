namespace TenantPortal.Core.Usage;

/// <summary>How a metric aggregates over a period.</summary>
public enum MetricKind
{
    /// <summary>The period's usage is the sum of its events.</summary>
    Counter = 0,
    /// <summary>An event reports the current level; the quota compares the latest level.</summary>
    Gauge = 1,
    /// <summary>Counted from the members table, not from events.</summary>
    Seats = 2,
}
