using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// One browser tab as Blazor Server sees it, without a browser: it GETs the prerendered page with the session cookie,
/// connects to <c>/_blazor</c> over WebSockets with the <c>blazorpack</c> protocol, starts the circuit as blazor.web.js
/// does (<c>StartCircuit</c> with no initial components, then <c>UpdateRootComponents</c> adding each prerendered
/// interactive root with the page's persisted state), acknowledges every render batch (<c>OnRenderCompleted</c>),
/// answers every JS interop call with success and no value (<c>EndInvokeJSFromDotNet</c>) and navigates client-side
/// (<c>OnLocationChanged</c>). A render batch is not interpreted: "the page shows X" means a batch carries the UTF-8
/// string X in its string table (e.g. an element id that only the loaded panel renders).
/// </summary>
public sealed partial class BlazorCircuitClient : IAsyncDisposable
{
    private readonly Uri _baseAddress;
    private readonly object _gate = new();
    private HubConnection? _hub;
    private byte[]? _awaited;
    private TaskCompletionSource? _shown;
    private long _batches;
    private long _liveBatches;
    private long _jsCalls;

    /// <summary>A client of the portal at <paramref name="baseAddress"/>.</summary>
    public BlazorCircuitClient(Uri baseAddress) => _baseAddress = baseAddress;

    /// <summary>Render batches received.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Render batches that arrived while no interaction was awaited: the live refresh pushing new data.</summary>
    public long LiveBatches => Interlocked.Read(ref _liveBatches);

    /// <summary>JS interop calls the circuit made (answered when they await a result).</summary>
    public long JsCalls => Interlocked.Read(ref _jsCalls);

    /// <summary>The first error the circuit reported (<c>JS.Error</c>, a closed connection, a failed send), or null.</summary>
    public string? Error { get; private set; }

    /// <summary>
    /// Opens the circuit of <paramref name="path"/> with the session of <paramref name="login"/> and waits until a render
    /// batch shows <paramref name="shows"/>; returns the time from the GET to that batch.
    /// </summary>
    public async Task<TimeSpan> StartAsync(PortalLogin login, string path, string shows, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var pageAddress = new Uri(_baseAddress, path);
        var html = await login.Client.GetStringAsync(pageAddress, cancellationToken);
        var roots = Marker().Matches(html).Select(m => m.Groups["json"].Value)
            .Where(json => json.Contains("\"descriptor\"", StringComparison.Ordinal))
            .ToList();
        if (roots.Count == 0)
            throw new InvalidOperationException($"/{path} has no interactive root component (signed out?).");
        var state = PersistedState().Match(html) is { Success: true } match ? match.Groups["state"].Value : "";

        var builder = new HubConnectionBuilder().WithUrl(new Uri(_baseAddress, "_blazor"), options =>
        {
            options.Cookies = login.Cookies;
            options.Transports = HttpTransportType.WebSockets;
            options.SkipNegotiation = true;
        });
        builder.Services.AddSingleton<IHubProtocol, BlazorPackProtocol>();
        var hub = builder.Build();
        hub.ServerTimeout = TimeSpan.FromMinutes(3);
        hub.HandshakeTimeout = TimeSpan.FromMinutes(1);
        _hub = hub;

        hub.On<long, byte[]>("JS.RenderBatch", (batchId, data) => OnRenderBatchAsync(hub, batchId, data));
        // .NET 10: (asyncHandle, identifier, argsJson, resultType, targetInstanceId, callType); handle 0 expects no answer.
        hub.On("JS.BeginInvokeJS", [typeof(long), typeof(string), typeof(string), typeof(int), typeof(long), typeof(int)], args => OnBeginInvokeJSAsync(hub, (long)args[0]!));
        hub.On("JS.AttachComponent", [typeof(int), typeof(string)], _ => Task.CompletedTask);
        hub.On("JS.EndUpdateRootComponents", [typeof(long)], _ => Task.CompletedTask);
        hub.On("JS.EndInvokeDotNet", [typeof(string), typeof(bool), typeof(string)], _ => Task.CompletedTask);
        hub.On<string>("JS.Error", message => Fail("JS.Error: " + message));
        hub.Closed += exception =>
        {
            if (exception is not null)
                Fail("connection closed: " + exception.Message);
            return Task.CompletedTask;
        };

        await hub.StartAsync(cancellationToken);
        var shown = Await(shows);
        var circuitId = await hub.InvokeAsync<string?>("StartCircuit", _baseAddress.ToString(), pageAddress.ToString(), "[]", "", cancellationToken);
        if (string.IsNullOrEmpty(circuitId))
            throw new InvalidOperationException("StartCircuit was refused.");
        var operations = roots.Select((json, i) => new { type = "add", ssrComponentId = i + 1, marker = JsonDocument.Parse(json).RootElement });
        await hub.SendAsync("UpdateRootComponents", JsonSerializer.Serialize(new { batchId = 1, operations }), state, cancellationToken);
        await WaitAsync(shown, timeout, $"/{path} showing '{shows}'", cancellationToken);
        return clock.Elapsed;
    }

    /// <summary>
    /// Navigates client-side to <paramref name="path"/> (a click on a link the router intercepts) and returns the time
    /// until a render batch shows <paramref name="shows"/>.
    /// </summary>
    public async Task<TimeSpan> NavigateAsync(string path, string shows, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var hub = _hub ?? throw new InvalidOperationException("The circuit is not started.");
        var clock = Stopwatch.StartNew();
        var shown = Await(shows);
        await hub.SendAsync("OnLocationChanged", new Uri(_baseAddress, path).ToString(), null, true, cancellationToken);
        await WaitAsync(shown, timeout, $"navigation to /{path} showing '{shows}'", cancellationToken);
        return clock.Elapsed;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_hub is not null)
            await _hub.DisposeAsync();
    }

    private Task Await(string shows)
    {
        var shown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _awaited = Encoding.UTF8.GetBytes(shows);
            _shown = shown;
        }
        return shown.Task;
    }

    private async Task WaitAsync(Task shown, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        try
        {
            await shown.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No render batch within {timeout.TotalSeconds:0} s for {what}{(Error is null ? "" : "; " + Error)}.");
        }
        finally
        {
            lock (_gate)
            {
                _awaited = null;
                _shown = null;
            }
        }
        if (Error is not null)
            throw new InvalidOperationException(Error);
    }

    private async Task OnRenderBatchAsync(HubConnection hub, long batchId, byte[] data)
    {
        Interlocked.Increment(ref _batches);
        lock (_gate)
        {
            if (_awaited is null)
                Interlocked.Increment(ref _liveBatches);
            else if (data.AsSpan().IndexOf(_awaited) >= 0)
                _shown?.TrySetResult();
        }
        try
        {
            await hub.SendAsync("OnRenderCompleted", batchId, null);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or OperationCanceledException or WebException)
        {
            Fail("OnRenderCompleted: " + ex.Message);
        }
    }

    private async Task OnBeginInvokeJSAsync(HubConnection hub, long asyncHandle)
    {
        Interlocked.Increment(ref _jsCalls);
        if (asyncHandle == 0)
            return;
        try
        {
            // As DotNet.jsCallDispatcher answers: [handle, succeeded, result], here with no result.
            await hub.SendAsync("EndInvokeJSFromDotNet", asyncHandle, true, $"[{asyncHandle},true,null]");
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or OperationCanceledException or WebException)
        {
            Fail("EndInvokeJSFromDotNet: " + ex.Message);
        }
    }

    private void Fail(string message)
    {
        lock (_gate)
        {
            Error ??= message;
            _shown?.TrySetResult();
        }
    }

    [GeneratedRegex("<!--Blazor:(?<json>\\{.*?\\})-->", RegexOptions.Singleline)]
    private static partial Regex Marker();

    [GeneratedRegex("<!--Blazor-Server-Component-State:(?<state>.*?)-->", RegexOptions.Singleline)]
    private static partial Regex PersistedState();
}
