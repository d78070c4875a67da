namespace TenantPortal.Data.Services.Webhooks;

/// <summary>An endpoint with its new signing secret: shown once (at creation and after a rotation).</summary>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Secret">The signing secret (<c>whsec_…</c>).</param>
public sealed record WebhookEndpointSecret(WebhookEndpointRow Endpoint, string Secret);
