namespace TenantPortal.Data.Services.Webhooks;

/// <summary>A page of the delivery log; <paramref name="NextCursor"/> is null on the last one.</summary>
public sealed record WebhookDeliveryPage(IReadOnlyList<WebhookDeliveryRow> Items, string? NextCursor);
