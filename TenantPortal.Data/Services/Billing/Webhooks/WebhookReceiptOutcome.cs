namespace TenantPortal.Data.Services.Billing.Webhooks;

/// <summary>What became of one delivery of a Stripe webhook event.</summary>
public enum WebhookReceiptOutcome
{
    /// <summary>The event was applied.</summary>
    Processed = 0,
    /// <summary>The event was understood but changed nothing (unhandled type, older than the state held, not ours).</summary>
    Ignored = 1,
    /// <summary>The event was processed before (or is being processed by another delivery): nothing was done.</summary>
    Duplicate = 2,
    /// <summary>Processing failed; the event stays in the inbox and is retried.</summary>
    Failed = 3,
}
