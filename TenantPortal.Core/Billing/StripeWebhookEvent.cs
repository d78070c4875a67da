namespace TenantPortal.Core.Billing;

/// <summary>
/// The inbox row of one Stripe webhook event. The Stripe event id is unique, so an event is stored
/// (and processed) once; a failed processing stays here to be retried. Fleet-level: not tenant-owned.
/// </summary>
public class StripeWebhookEvent
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <summary>Stripe's event id (<c>evt_…</c>), unique.</summary>
    public string StripeEventId { get; set; } = "";

    /// <summary>Event type, e.g. <c>invoice.paid</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary>The API version the event was rendered with.</summary>
    public string? ApiVersion { get; set; }

    /// <summary>The tenant it concerns, once known.</summary>
    public Guid? TenantId { get; set; }

    /// <summary>The raw JSON payload.</summary>
    public string Payload { get; set; } = "";

    /// <summary>When it arrived.</summary>
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>When it was processed successfully.</summary>
    public DateTimeOffset? ProcessedAt { get; set; }

    /// <summary>Outcome of the last processing.</summary>
    public WebhookOutcome Outcome { get; set; }

    /// <summary>How many times processing was attempted.</summary>
    public int Attempts { get; set; }

    /// <summary>The error of the last failed processing.</summary>
    public string? Error { get; set; }
}
