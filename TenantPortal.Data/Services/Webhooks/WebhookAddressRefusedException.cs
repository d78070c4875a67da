namespace TenantPortal.Data.Services.Webhooks;

/// <summary>The endpoint's host resolved to an address the portal never sends to (see <see cref="WebhookAddressGuard"/>).</summary>
public sealed class WebhookAddressRefusedException(string message) : Exception(message);
