using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// One timed run of ingestion clients against the portal: each client posts batches with its tenant's API key until
/// the run's events are all sent or its time is up. Only 202s count as accepted; anything else is an error kept for
/// the report.
/// </summary>
public sealed class IngestRun(HttpClient http, IReadOnlyList<string> apiKeys, string runId, int batchSize)
{
    private long _accepted;
    private long _duplicates;
    private long _batches;
    private readonly List<string> _errors = [];

    /// <summary>Batch latencies (202s only).</summary>
    public LatencyRecorder Latency { get; } = new();

    /// <summary>Events the portal accepted (202 <c>accepted</c> summed).</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Events the portal reported as duplicates (none expected: every id is new).</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Batches answered 202.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Answers other than 202 (status and the start of the body), and transport failures.</summary>
    public IReadOnlyList<string> Errors
    {
        get { lock (_errors) return [.. _errors]; }
    }

    /// <summary>How long the run took, from the first request to the last answer.</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <summary>
    /// Runs <paramref name="clients"/> clients until <paramref name="totalEvents"/> were sent (when given) or
    /// <paramref name="duration"/> passed (when given), whichever comes first.
    /// </summary>
    public async Task RunAsync(int clients, long? totalEvents, TimeSpan? duration, CancellationToken cancellationToken)
    {
        var batchesLeft = totalEvents is { } total ? (total + batchSize - 1) / batchSize : long.MaxValue;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var builder = new UsageBatchBuilder(runId, client, batchSize, TimeProvider.System);
            var key = apiKeys[client % apiKeys.Count];
            while (!cancellationToken.IsCancellationRequested && (duration is null || clock.Elapsed < duration) && Interlocked.Decrement(ref batchesLeft) >= 0)
                await PostAsync(key, builder.Next(), cancellationToken);
        }, cancellationToken)));
        Elapsed = clock.Elapsed;
    }

    private async Task PostAsync(string key, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/usage") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                Error($"{(int)response.StatusCode} {text[..Math.Min(text.Length, 200)]}");
                return;
            }
            Latency.Add(Stopwatch.GetElapsedTime(started));
            using var answer = JsonDocument.Parse(text);
            Interlocked.Add(ref _accepted, answer.RootElement.GetProperty("accepted").GetInt64());
            Interlocked.Add(ref _duplicates, answer.RootElement.GetProperty("duplicates").GetInt64());
            Interlocked.Increment(ref _batches);
        }
        catch (HttpRequestException ex)
        {
            Error($"transport: {ex.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Error("timeout: no answer within the client's timeout");
        }
    }

    private void Error(string message)
    {
        lock (_errors)
            _errors.Add(message);
    }
}
