namespace TenantPortal.Core.Billing;

/// <summary>The outcome of processing a webhook event.</summary>
public enum WebhookOutcome
{
    /// <summary>Stored, not processed yet.</summary>
    Pending = 0,
    /// <summary>Applied.</summary>
    Processed = 1,
    /// <summary>Understood but nothing to do (unhandled type, or older than the state already held).</summary>
    Ignored = 2,
    /// <summary>Processing failed; it will be retried.</summary>
    Failed = 3,
}
