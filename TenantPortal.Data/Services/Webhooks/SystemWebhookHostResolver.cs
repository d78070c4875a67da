using System.Net;

namespace TenantPortal.Data.Services.Webhooks;

/// <summary>The system's DNS resolver.</summary>
public sealed class SystemWebhookHostResolver : IWebhookHostResolver
{
    /// <inheritdoc />
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        IPAddress.TryParse(host, out var literal) ? Task.FromResult(new[] { literal }) : Dns.GetHostAddressesAsync(host, cancellationToken);
}
