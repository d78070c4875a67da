using TenantPortal.Core.Webhooks;

namespace TenantPortal.Data.Services.Webhooks;

/// <summary>Which deliveries to list (null: any), newest first, and the page.</summary>
/// <param name="EndpointId">Only this endpoint's.</param>
/// <param name="Status">Only those in this state.</param>
/// <param name="EventType">Only this event type.</param>
/// <param name="Limit">Page size (1–100).</param>
/// <param name="Cursor">The cursor a previous page returned.</param>
public sealed record WebhookDeliveryFilter(Guid? EndpointId = null, WebhookDeliveryStatus? Status = null, string? EventType = null, int Limit = 50, string? Cursor = null);
