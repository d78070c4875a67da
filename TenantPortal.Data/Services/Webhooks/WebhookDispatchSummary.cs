namespace TenantPortal.Data.Services.Webhooks;

/// <summary>What one dispatch did.</summary>
/// <param name="Events">Events that got deliveries.</param>
/// <param name="Dropped">Events no endpoint wanted, deleted.</param>
/// <param name="Deliveries">Deliveries made and queued.</param>
/// <param name="DueRetries">Deliveries whose next attempt was due, queued.</param>
/// <param name="Expired">Events past the retention, deleted with their deliveries.</param>
public sealed record WebhookDispatchSummary(int Events, int Dropped, int Deliveries, int DueRetries, int Expired);
