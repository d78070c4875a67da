using TenantPortal.Core.Common;

namespace TenantPortal.Core.Usage;

/// <summary>One event of a <see cref="UsageCorrection"/>: which event, what was done, and the quantity counted before and after.</summary>
public class UsageCorrectionLine : ITenantOwned
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>The correction's row id.</summary>
    public long CorrectionRowId { get; set; }

    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>The event's row id (for a backfill, the new event's).</summary>
    public long UsageEventId { get; set; }

    /// <summary>The reporter's id of the event.</summary>
    public string ClientEventId { get; set; } = "";

    /// <summary>Void, amend or backfill.</summary>
    public UsageCorrectionAction Action { get; set; }

    /// <summary>The event's metric.</summary>
    public UsageMetric Metric { get; set; }

    /// <summary>The event's timestamp.</summary>
    public DateTimeOffset Timestamp { get; set; }

    /// <summary>What the event counted before the correction (0 for a backfill).</summary>
    public decimal QuantityBefore { get; set; }

    /// <summary>What it counts with the correction (0 for a void).</summary>
    public decimal QuantityAfter { get; set; }

    /// <summary>After minus before: the compensating event's quantity.</summary>
    public decimal Delta { get; set; }
}
