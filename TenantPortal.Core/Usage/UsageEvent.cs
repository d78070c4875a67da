using TenantPortal.Core.Common;

namespace TenantPortal.Core.Usage;

/// <summary>One raw usage event as reported by a service. (TenantId, ClientEventId) is unique: a repeat is a duplicate.</summary>
public class UsageEvent : ITenantOwned
{
    /// <summary>How old an event may be when it is reported.</summary>
    public static readonly TimeSpan AcceptanceWindow = TimeSpan.FromDays(35);

    /// <summary>How far in the future an event's timestamp may be (clock skew).</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    /// <summary>Primary key, increasing in insertion order (the rollup watermark follows it).</summary>
    public long Id { get; set; }

    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>The reporter's id for the event, unique per tenant.</summary>
    public string ClientEventId { get; set; } = "";

    /// <summary>The metric.</summary>
    public UsageMetric Metric { get; set; }

    /// <summary>The amount (counters) or the level (gauges).</summary>
    public decimal Quantity { get; set; }

    /// <summary>When the usage happened (reporter's clock, UTC).</summary>
    public DateTimeOffset Timestamp { get; set; }

    /// <summary>When the portal stored it.</summary>
    public DateTimeOffset ReceivedAt { get; set; }
}
