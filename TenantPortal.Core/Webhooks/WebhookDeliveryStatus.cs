namespace TenantPortal.Core.Webhooks;

/// <summary>Where a delivery of one event to one endpoint stands.</summary>
public enum WebhookDeliveryStatus
{
    /// <summary>Not attempted yet (or resent and waiting for its attempt).</summary>
    Pending,
    /// <summary>An attempt failed; another is scheduled.</summary>
    Retrying,
    /// <summary>The endpoint answered 2xx.</summary>
    Succeeded,
    /// <summary>Given up: 3 days of failed attempts, or the endpoint was disabled or deleted.</summary>
    Failed,
}
