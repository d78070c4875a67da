using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// One tenant's API calls far above its rate limit, spread round-robin over every instance of a cluster: many callers,
/// each sending its next request as soon as the last is answered, for a fixed time. Keeps when each accepted request was
/// sent and answered (client-side, Stopwatch), and sorts the others: a refusal of the limiter is a 429 with a problem
/// body and <c>Retry-After</c>; anything else is an error.
/// </summary>
public sealed class RateLimitDrive
{
    private static readonly byte[] Body = "{\"metric\":\"api_calls\",\"amount\":0}"u8.ToArray();

    private readonly List<(long Sent, long Answered)> _accepted = [];
    private int _refused;
    private int _refusedWithoutRetryAfter;
    private int _errors;
    private long _next = -1;

    private RateLimitDrive()
    {
    }

    /// <summary>Requests accepted (200).</summary>
    public int Accepted
    {
        get { lock (_accepted) return _accepted.Count; }
    }

    /// <summary>Requests refused by the limiter (429 with a problem body).</summary>
    public int Refused => _refused;

    /// <summary>Refusals without a <c>Retry-After</c> header (there should be none).</summary>
    public int RefusedWithoutRetryAfter => _refusedWithoutRetryAfter;

    /// <summary>Any other answer, or no answer.</summary>
    public int Errors => _errors;

    /// <summary>Requests sent.</summary>
    public long Sent => _next + 1;

    /// <summary>From the first request sent to the last answer.</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <summary>The most accepted requests answered within any one second (client-side answer times).</summary>
    public int MostAnsweredInAnySecond()
    {
        long[] answered;
        lock (_accepted)
            answered = _accepted.Select(a => a.Answered).Order().ToArray();
        var most = 0;
        var first = 0;
        for (var last = 0; last < answered.Length; last++)
        {
            while (answered[last] - answered[first] >= Stopwatch.Frequency)
                first++;
            most = Math.Max(most, last - first + 1);
        }
        return most;
    }

    /// <summary>
    /// The most accepted requests that were both sent and answered within one second: their limiter's decision certainly
    /// fell inside that second, whatever the delays between the harness and the portal. A lower bound of the most the
    /// limiter granted in any second; above the limit, the limiter let too many through.
    /// </summary>
    public int MostCertainlyInAnySecond()
    {
        (long Sent, long Answered)[] accepted;
        lock (_accepted)
            accepted = [.. _accepted.OrderBy(a => a.Sent)];
        var most = 0;
        for (var start = 0; start < accepted.Length; start++)
        {
            var end = accepted[start].Sent + Stopwatch.Frequency;
            var inside = 0;
            for (var i = start; i < accepted.Length && accepted[i].Sent < end; i++)
            {
                if (accepted[i].Answered < end)
                    inside++;
            }
            most = Math.Max(most, inside);
        }
        return most;
    }

    /// <summary>The slowest accepted request's round trip (how far an answer time may lag its decision).</summary>
    public TimeSpan LongestAcceptedRoundTrip()
    {
        lock (_accepted)
            return _accepted.Count == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(0, _accepted.Max(a => a.Answered - a.Sent));
    }

    /// <summary>Drives <paramref name="key"/>'s tenant with <paramref name="callers"/> concurrent callers for <paramref name="duration"/>.</summary>
    public static async Task<RateLimitDrive> RunAsync(PortalCluster cluster, string key, int callers, TimeSpan duration, CancellationToken cancellationToken)
    {
        var drive = new RateLimitDrive();
        var start = Stopwatch.GetTimestamp();
        var stopAt = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var client = cluster.Client(Interlocked.Increment(ref drive._next));
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/quota/check") { Content = new ByteArrayContent(Body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.SendAsync(request, cancellationToken);
                    await response.Content.LoadIntoBufferAsync(cancellationToken);
                    var answered = Stopwatch.GetTimestamp();
                    drive.Count(response, sent, answered);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    Interlocked.Increment(ref drive._errors);
                }
            }
        }, cancellationToken)).ToList();
        await Task.WhenAll(workers);
        drive.Elapsed = Stopwatch.GetElapsedTime(start);
        return drive;
    }

    private void Count(HttpResponseMessage response, long sent, long answered)
    {
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK:
                lock (_accepted)
                    _accepted.Add((sent, answered));
                break;
            // The limiter's refusal is a problem body; a quota refusal (also 429) is the check's own JSON body.
            case HttpStatusCode.TooManyRequests when response.Content.Headers.ContentType?.MediaType == "application/problem+json":
                Interlocked.Increment(ref _refused);
                if (response.Headers.RetryAfter is null)
                    Interlocked.Increment(ref _refusedWithoutRetryAfter);
                break;
            default:
                Interlocked.Increment(ref _errors);
                break;
        }
    }
}
