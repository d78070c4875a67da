using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TenantPortal.Data.Services.Webhooks;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// A tenant's webhook receiver, as a customer would write one: Kestrel on 127.0.0.1:0, checks the signature with any of
/// its secrets (a rotation's overlap), dedupes by event id, and answers what <see cref="Answer"/> says for each request
/// (a status, or a delay past the portal's timeout).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _processed = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>The secrets the receiver accepts.</summary>
    public List<string> Secrets { get; } = [];

    /// <summary>What to answer the nth request (1-based); default 200.</summary>
    public Func<int, (HttpStatusCode Status, TimeSpan Delay)> Answer { get; set; } = _ => (HttpStatusCode.OK, TimeSpan.Zero);

    /// <summary>How many distinct events it processed (answered 2xx with a valid signature).</summary>
    public int ProcessedEvents => _processed.Count;

    /// <summary>How many times an event was seen again after being processed (the receiver's dedupe caught it).</summary>
    public int Duplicates => _processed.Values.Sum(v => v - 1);

    /// <summary>The URL to register.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Starts a receiver on a free loopback port.</summary>
    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks", (Delegate)receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = address.TrimEnd('/') + "/hooks";
        return receiver;
    }

    private async Task<IResult> HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync();
        var signature = http.Request.Headers[WebhookSignature.Header].ToString();
        var eventId = http.Request.Headers[WebhookSender.EventIdHeader].ToString();
        var valid = Secrets.Any(s => WebhookSignature.Verify(signature, body, s, DateTimeOffset.UtcNow, TimeSpan.FromDays(3650)));
        var received = new Received(eventId, http.Request.Headers[WebhookSender.EventTypeHeader].ToString(), signature, body, valid,
            http.Request.Headers.UserAgent.ToString());
        Requests.Enqueue(received);
        var (status, delay) = Answer(Requests.Count);
        if (delay > TimeSpan.Zero)
            await Task.Delay(delay, http.RequestAborted).ContinueWith(_ => { });
        if (!valid)
            return Results.StatusCode(400);
        if ((int)status is >= 200 and < 300)
            _processed.AddOrUpdate(eventId, 1, (_, n) => n + 1);
        return Results.StatusCode((int)status);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>One request as received.</summary>
    public sealed record Received(string EventId, string EventType, string Signature, string Body, bool SignatureValid, string UserAgent);
}
