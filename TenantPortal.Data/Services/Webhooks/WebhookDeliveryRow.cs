using TenantPortal.Core.Webhooks;

namespace TenantPortal.Data.Services.Webhooks;

/// <summary>A line of the delivery log.</summary>
/// <param name="Id">The delivery's id.</param>
/// <param name="EndpointId">The endpoint.</param>
/// <param name="EndpointUrl">The endpoint's address.</param>
/// <param name="EventId">The event id (what the receiver dedupes by).</param>
/// <param name="EventType">The event type.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="Attempts">Attempts made.</param>
/// <param name="LastResponseCode">The last answer's HTTP status (null: none came).</param>
/// <param name="LastDurationMs">How long the last attempt took.</param>
/// <param name="LastError">Why the last attempt failed.</param>
/// <param name="LastAttemptAt">When the last attempt was made.</param>
/// <param name="NextAttemptAt">When the next attempt is due.</param>
/// <param name="CreatedAt">When the delivery was made.</param>
public sealed record WebhookDeliveryRow(Guid Id, Guid EndpointId, string EndpointUrl, string EventId, string EventType, WebhookDeliveryStatus Status,
    int Attempts, int? LastResponseCode, int? LastDurationMs, string? LastError, DateTimeOffset? LastAttemptAt, DateTimeOffset? NextAttemptAt, DateTimeOffset CreatedAt);
