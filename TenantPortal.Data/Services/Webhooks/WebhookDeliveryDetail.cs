namespace TenantPortal.Data.Services.Webhooks;

/// <summary>A delivery with its attempts (oldest first) and the body it sends.</summary>
public sealed record WebhookDeliveryDetail(WebhookDeliveryRow Delivery, IReadOnlyList<WebhookAttemptRow> Attempts, string? Payload);
