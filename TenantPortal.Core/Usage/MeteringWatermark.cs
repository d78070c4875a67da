namespace TenantPortal.Core.Usage;

/// <summary>How far a metering job has processed the event stream: every event with an id up to <see cref="LastEventId"/> is rolled up.</summary>
public class MeteringWatermark
{
    /// <summary>The rollup job's watermark name.</summary>
    public const string Rollup = "metering-rollup";

    /// <summary>Which job the watermark belongs to.</summary>
    public string Name { get; set; } = "";

    /// <summary>The highest event id processed.</summary>
    public long LastEventId { get; set; }

    /// <summary>When it last moved.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}
