using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using TenantPortal.Data.Options;

namespace TenantPortal.Data.Services.Webhooks;

/// <summary>
/// Sends webhook POSTs. The guard runs where the connection is made (<see cref="SocketsHttpHandler.ConnectCallback"/>): the
/// host is resolved once, every address it resolves to is checked (<see cref="WebhookAddressGuard"/>, unless
/// <see cref="WebhookOptions.AllowPrivateAddresses"/>), and the socket connects to a checked address, so a DNS answer that
/// changes between a check and the connection (rebinding) can't lead anywhere unchecked. Redirects are not followed, proxies
/// not used, and each attempt has <see cref="WebhookOptions.TimeoutSeconds"/>.
/// </summary>
public sealed class WebhookHttp : IDisposable
{
    /// <summary>The User-Agent of every delivery.</summary>
    public const string UserAgent = "TenantPortal-Webhooks/1.0";

    private readonly HttpClient _client;
    private readonly IWebhookHostResolver _resolver;
    private readonly bool _allowPrivate;

    /// <summary>Creates the client.</summary>
    public WebhookHttp(IOptions<WebhookOptions> options, IWebhookHostResolver resolver)
    {
        _resolver = resolver;
        _allowPrivate = options.Value.AllowPrivateAddresses;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds),
            ConnectCallback = ConnectAsync,
        };
        _client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds) };
    }

    /// <summary>POSTs <paramref name="body"/> as JSON with <paramref name="headers"/>; never throws for the endpoint's faults.</summary>
    public async Task<WebhookSendResult> PostAsync(string url, string body, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        foreach (var (name, value) in headers)
            request.Headers.TryAddWithoutValidation(name, value);
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var code = (int)response.StatusCode;
            var ok = code is >= 200 and < 300;
            return new WebhookSendResult(code, Elapsed(clock), ok ? null
                : code is >= 300 and < 400 ? $"The endpoint answered {code} (a redirect): redirects are not followed." : $"The endpoint answered {code}.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookSendResult(null, Elapsed(clock), $"No answer within {_client.Timeout.TotalSeconds:0} seconds (timeout).");
        }
        catch (HttpRequestException e) when (FindRefusal(e) is { } refused)
        {
            return new WebhookSendResult(null, Elapsed(clock), $"Refused to connect: {refused.Message}");
        }
        catch (HttpRequestException e)
        {
            return new WebhookSendResult(null, Elapsed(clock), $"Could not connect: {e.Message}");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        IPAddress[] addresses;
        try
        {
            addresses = await _resolver.ResolveAsync(host, cancellationToken);
        }
        catch (SocketException e)
        {
            throw new HttpRequestException($"{host} could not be resolved: {e.Message}", e);
        }
        if (addresses.Length == 0)
            throw new HttpRequestException($"{host} resolved to no address.");
        if (!_allowPrivate)
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

    private static WebhookAddressRefusedException? FindRefusal(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is WebhookAddressRefusedException refused)
                return refused;
        return null;
    }

    private static int Elapsed(Stopwatch clock) => (int)Math.Min(int.MaxValue, clock.ElapsedMilliseconds);
}
