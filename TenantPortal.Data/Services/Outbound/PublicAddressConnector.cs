using System.Net;
using System.Net.Sockets;
using TenantPortal.Data.Services.Webhooks;

namespace TenantPortal.Data.Services.Outbound;

/// <summary>
/// Where the portal connects to addresses a tenant typed (webhook endpoints, SSO providers): the host is resolved once,
/// every address it resolves to is checked (<see cref="WebhookAddressGuard"/>: no loopback, private, link-local or
/// metadata address, unless <c>allowPrivate</c>, which only tests set), and the socket connects to a checked address. It
/// runs as <see cref="SocketsHttpHandler.ConnectCallback"/>, so a DNS answer that changes between a check and the
/// connection (rebinding) can't lead anywhere unchecked. The handlers it serves use no proxy (a proxy would be connected
/// to instead) and follow no redirect.
/// </summary>
public static class PublicAddressConnector
{
    /// <summary>A handler whose connections go only to checked addresses.</summary>
    public static SocketsHttpHandler Handler(IWebhookHostResolver resolver, bool allowPrivate, TimeSpan connectTimeout) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = connectTimeout,
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context, resolver, allowPrivate, cancellationToken),
    };

    /// <summary>Resolves, checks and connects; a refused address throws <see cref="WebhookAddressRefusedException"/>.</summary>
    public static async ValueTask<Stream> ConnectAsync(
        SocketsHttpConnectionContext context, IWebhookHostResolver resolver, bool allowPrivate, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        IPAddress[] addresses;
        try
        {
            addresses = await resolver.ResolveAsync(host, cancellationToken);
        }
        catch (SocketException e)
        {
            throw new HttpRequestException($"{host} could not be resolved: {e.Message}", e);
        }
        if (addresses.Length == 0)
            throw new HttpRequestException($"{host} resolved to no address.");
        if (!allowPrivate)
        {
            foreach (var address in addresses)
                if (WebhookAddressGuard.Refusal(address) is { } refusal)
                    throw new WebhookAddressRefusedException($"{host} resolves to {refusal}.");
        }
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
        }
        throw new HttpRequestException($"{host} did not accept a connection: {last?.Message}", last);
    }

    /// <summary>The refusal inside <paramref name="e"/>, if the guard refused the connection.</summary>
    public static WebhookAddressRefusedException? FindRefusal(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is WebhookAddressRefusedException refused)
                return refused;
        return null;
    }
}
