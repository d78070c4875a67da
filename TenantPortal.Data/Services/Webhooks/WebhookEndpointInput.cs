namespace TenantPortal.Data.Services.Webhooks;

/// <summary>What an admin sets on an endpoint; a null member of an update keeps the current value.</summary>
/// <param name="Url">The HTTPS address.</param>
/// <param name="Description">A note (empty clears it).</param>
/// <param name="Events">The event types (see <see cref="Core.Webhooks.WebhookEventTypes.All"/>); none at creation: the default set.</param>
/// <param name="Enabled">Enables or disables the endpoint (updates only).</param>
public sealed record WebhookEndpointInput(string? Url, string? Description, IReadOnlyList<string>? Events, bool? Enabled = null);
