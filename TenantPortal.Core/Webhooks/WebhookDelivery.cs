using TenantPortal.Core.Common;

namespace TenantPortal.Core.Webhooks;

/// <summary>
/// One event to one endpoint (unique per pair), with its attempts. A sender claims it (<see cref="ClaimedUntil"/>) before an
/// attempt, so that no attempt is ever made twice at once.
/// </summary>
public class WebhookDelivery : ITenantOwned
{
    /// <summary>Longest error text kept.</summary>
    public const int ErrorLength = 500;

    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>The endpoint.</summary>
    public Guid EndpointId { get; set; }

    /// <summary>The event.</summary>
    public string EventId { get; set; } = "";

    /// <summary>The event's type (for filtering the log).</summary>
    public string EventType { get; set; } = "";

    /// <summary>Where it stands.</summary>
    public WebhookDeliveryStatus Status { get; set; }

    /// <summary>Attempts made.</summary>
    public int Attempts { get; set; }

    /// <summary>When the next attempt is due; null when none is (succeeded or failed).</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>A sender holds it until then.</summary>
    public DateTimeOffset? ClaimedUntil { get; set; }

    /// <summary>The HTTP status of the last attempt's answer; null when there was none.</summary>
    public int? LastResponseCode { get; set; }

    /// <summary>How long the last attempt took, in milliseconds.</summary>
    public int? LastDurationMs { get; set; }

    /// <summary>Why the last attempt failed, when it did.</summary>
    public string? LastError { get; set; }

    /// <summary>When the last attempt was made.</summary>
    public DateTimeOffset? LastAttemptAt { get; set; }

    /// <summary>When the delivery was made (its retries end <see cref="WebhookRetrySchedule.GiveUpAfter"/> later).</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
