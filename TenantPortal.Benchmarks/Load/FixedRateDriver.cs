using System.Diagnostics;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// Sends requests open-loop at a fixed rate: request <c>i</c> is due at <c>start + i / rate</c>, whatever happened to the
/// ones before, and its latency counts from when it was due, not from when a sender got to it, so a slow answer shows in
/// every request queued behind it (no coordinated omission). Enough senders run that a free one is always waiting.
/// </summary>
public sealed class FixedRateDriver(int requestsPerSecond, TimeSpan duration, int senders)
{
    /// <summary>Latencies from each request's due time to its answer.</summary>
    public LatencyRecorder Latencies { get; } = new();

    /// <summary>
    /// How late each request left (timer resolution, about a millisecond, and senders all busy): part of
    /// <see cref="Latencies"/> that the harness, not the portal, adds while the portal keeps up.
    /// </summary>
    public LatencyRecorder Lateness { get; } = new();

    /// <summary>Requests that failed (an exception or <paramref name="send"/> returning false).</summary>
    public int Errors => _errors;

    /// <summary>Requests sent.</summary>
    public int Sent => _sent;

    /// <summary>The rate actually achieved: requests answered per second of the run.</summary>
    public double AchievedRate { get; private set; }

    private int _errors;
    private int _sent;
    private long _next = -1;

    /// <summary>Runs the schedule; <paramref name="send"/> gets the request's index and says whether the answer was right.</summary>
    public async Task RunAsync(Func<long, CancellationToken, Task<bool>> send, CancellationToken cancellationToken)
    {
        var total = (long)(requestsPerSecond * duration.TotalSeconds);
        var ticksPerRequest = (double)Stopwatch.Frequency / requestsPerSecond;
        var start = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var i = Interlocked.Increment(ref _next);
                if (i >= total)
                    return;
                var due = start + (long)(i * ticksPerRequest);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero)
                    await Task.Delay(wait, cancellationToken); // no spinning: the portal needs both cores
                Lateness.Add(Stopwatch.GetElapsedTime(due));
                bool ok;
                try
                {
                    ok = await send(i, cancellationToken);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    ok = false;
                }
                Latencies.Add(Stopwatch.GetElapsedTime(due));
                Interlocked.Increment(ref _sent);
                if (!ok)
                    Interlocked.Increment(ref _errors);
            }
        }, cancellationToken)).ToList();
        await Task.WhenAll(workers);
        AchievedRate = _sent / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
}
