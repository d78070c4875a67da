using System.Diagnostics;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// Sends requests open-loop at a fixed rate: request <c>i</c> is due at <c>start + i / rate</c>, whatever happened to the
/// ones before, and its latency counts from when it was due, not from when it left, so a slow answer shows in every
/// request queued behind it (no coordinated omission).
/// <para>
/// One dedicated thread dispatches: it sleeps while the next request is more than <see cref="SleepMargin"/> away and
/// yields the core (<see cref="Thread.Yield"/>) until it is due, then starts the request on that thread. A pool of
/// senders each awaiting a timer (<see cref="Task.Delay(TimeSpan)"/>, as before) made requests leave 3.5 ms late at
/// p99 on this machine: the timer's continuation waits for a pool thread like any other work, so the harness's own
/// lateness was half the floor it measured. <see cref="Lateness"/> keeps showing what is left of it.
/// </para>
/// </summary>
public sealed class FixedRateDriver(int requestsPerSecond, TimeSpan duration, int senders)
{
    /// <summary>Closer to a request's due time than this, the dispatcher yields instead of sleeping (a sleep takes ≥ 1 ms).</summary>
    private static readonly TimeSpan SleepMargin = TimeSpan.FromMilliseconds(1.5);

    /// <summary>Latencies from each request's due time to its answer.</summary>
    public LatencyRecorder Latencies { get; } = new();

    /// <summary>How late each request left (the dispatcher not getting a core in time): part of <see cref="Latencies"/> the harness adds.</summary>
    public LatencyRecorder Lateness { get; } = new();

    /// <summary>Requests that failed (an exception or the send returning false).</summary>
    public int Errors => _errors;

    /// <summary>Requests sent.</summary>
    public int Sent => _sent;

    /// <summary>The rate actually achieved: requests answered per second of the run.</summary>
    public double AchievedRate { get; private set; }

    private int _errors;
    private int _sent;

    /// <summary>
    /// Runs the schedule; <paramref name="send"/> gets the request's index and says whether the answer was right. At most
    /// <c>senders</c> requests are in flight: past that, a request waits for one to finish (and its lateness shows it).
    /// </summary>
    public async Task RunAsync(Func<long, CancellationToken, Task<bool>> send, CancellationToken cancellationToken)
    {
        var total = (long)(requestsPerSecond * duration.TotalSeconds);
        var ticksPerRequest = (double)Stopwatch.Frequency / requestsPerSecond;
        using var inFlight = new SemaphoreSlim(senders, senders);
        var requests = new List<Task>((int)Math.Min(total, 1_000_000));
        var start = Stopwatch.GetTimestamp();
        var dispatched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dispatcher = new Thread(() =>
        {
            try
            {
                for (long i = 0; i < total && !cancellationToken.IsCancellationRequested; i++)
                {
                    var due = start + (long)(i * ticksPerRequest);
                    WaitUntil(due);
                    inFlight.Wait(cancellationToken);
                    Lateness.Add(Stopwatch.GetElapsedTime(due));
                    requests.Add(SendOneAsync(send, i, due, inFlight, cancellationToken));
                }
                dispatched.TrySetResult();
            }
            catch (Exception ex)
            {
                dispatched.TrySetException(ex);
            }
        })
        { IsBackground = true, Name = "load dispatcher", Priority = ThreadPriority.AboveNormal };
        dispatcher.Start();
        await dispatched.Task;
        await Task.WhenAll(requests);
        AchievedRate = _sent / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static void WaitUntil(long due)
    {
        while (true)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait <= TimeSpan.Zero)
                return;
            if (wait > SleepMargin)
                Thread.Sleep(1);
            else
                Thread.Yield();
        }
    }

    private async Task SendOneAsync(Func<long, CancellationToken, Task<bool>> send, long i, long due, SemaphoreSlim inFlight, CancellationToken cancellationToken)
    {
        bool ok;
        try
        {
            ok = await send(i, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            ok = false;
        }
        finally
        {
            inFlight.Release();
        }
        Latencies.Add(Stopwatch.GetElapsedTime(due));
        Interlocked.Increment(ref _sent);
        if (!ok)
            Interlocked.Increment(ref _errors);
    }
}
