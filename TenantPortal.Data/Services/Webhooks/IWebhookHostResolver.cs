using System.Net;

namespace TenantPortal.Data.Services.Webhooks;

/// <summary>Resolves an endpoint's host name to addresses (the system resolver; tests may point a name anywhere).</summary>
public interface IWebhookHostResolver
{
    /// <summary>Every address <paramref name="host"/> resolves to (a literal address resolves to itself).</summary>
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}
