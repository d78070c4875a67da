using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Outbound;

namespace TenantPortal.Data.Services.Webhooks;

/// <summary>
/// Sends webhook POSTs through <see cref="PublicAddressConnector"/> (public addresses only, checked when the connection is
/// made, unless <see cref="WebhookOptions.AllowPrivateAddresses"/>); redirects are not followed, proxies not used, and each
/// attempt has <see cref="WebhookOptions.TimeoutSeconds"/>.
/// </summary>
public sealed class WebhookHttp : IDisposable
{
    /// <summary>The User-Agent of every delivery.</summary>
    public const string UserAgent = "TenantPortal-Webhooks/1.0";

    private readonly HttpClient _client;

    /// <summary>Creates the client.</summary>
    public WebhookHttp(IOptions<WebhookOptions> options, IWebhookHostResolver resolver)
    {
        var handler = PublicAddressConnector.Handler(resolver, options.Value.AllowPrivateAddresses, TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
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
        catch (HttpRequestException e) when (PublicAddressConnector.FindRefusal(e) is { } refused)
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

    private static int Elapsed(Stopwatch clock) => (int)Math.Min(int.MaxValue, clock.ElapsedMilliseconds);
}
