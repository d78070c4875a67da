using TenantPortal.Core.Common;

namespace TenantPortal.Core.Webhooks;

/// <summary>One POST of a delivery: when, the answer's status (none when it never came), how long, and why it failed.</summary>
public class WebhookAttempt : ITenantOwned
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>The delivery.</summary>
    public Guid DeliveryId { get; set; }

    /// <summary>1 for the first attempt of the delivery.</summary>
    public int Number { get; set; }

    /// <summary>When it started.</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>The HTTP status of the answer; null when no answer came (refused address, timeout, connection error).</summary>
    public int? StatusCode { get; set; }

    /// <summary>How long it took, in milliseconds.</summary>
    public int DurationMs { get; set; }

    /// <summary>Why it failed; null when it succeeded.</summary>
    public string? Error { get; set; }

    /// <summary>True when the endpoint answered 2xx.</summary>
    public bool Succeeded { get; set; }
}
