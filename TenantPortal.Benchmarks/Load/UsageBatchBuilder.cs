using System.Buffers.Text;
using System.Text;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// Builds the JSON bodies of <c>POST /api/v1/usage</c> for one load client: batches of fresh events (ids unique per run
/// and client: a fixed-width counter), api_calls and gpu_hours mixed, timestamped a second ago within the current hour.
/// The body is a template made once; each batch only writes its counters and timestamp into a copy, so that the load
/// clients spend next to no CPU (the machine's cores are for the portal).
/// </summary>
public sealed class UsageBatchBuilder
{
    private const int CounterDigits = 12;
    private const string TimestampFormat = "yyyy-MM-ddTHH:mm:ssZ";

    private readonly TimeProvider _time;
    private readonly byte[] _template;
    private readonly int[] _counterAt;
    private readonly int[] _timestampAt;
    private long _next;

    /// <summary>A builder of batches of <paramref name="size"/> events for <paramref name="client"/> of run <paramref name="runId"/>.</summary>
    public UsageBatchBuilder(string runId, int client, int size, TimeProvider time)
    {
        _time = time;
        _counterAt = new int[size];
        _timestampAt = new int[size];
        var json = new StringBuilder("{\"events\":[");
        var placeholderTime = new string('0', DateTimeOffset.UnixEpoch.UtcDateTime.ToString(TimestampFormat, System.Globalization.CultureInfo.InvariantCulture).Length);
        for (var i = 0; i < size; i++)
        {
            var gpu = i % 4 == 3;
            json.Append(i == 0 ? "" : ",").Append("{\"id\":\"").Append(runId).Append('-').Append(client).Append('-');
            _counterAt[i] = json.Length;
            json.Append('0', CounterDigits).Append("\",\"metric\":\"").Append(gpu ? "gpu_hours" : "api_calls")
                .Append("\",\"quantity\":").Append(gpu ? "0.25" : "1").Append(",\"timestamp\":\"");
            _timestampAt[i] = json.Length;
            json.Append(placeholderTime).Append("\"}");
        }
        json.Append("]}");
        // ASCII only: character offsets are byte offsets.
        _template = Encoding.ASCII.GetBytes(json.ToString());
    }

    /// <summary>The next body: new ids, the current timestamp (a new array: it may be sent while the next is built).</summary>
    public byte[] Next()
    {
        var now = _time.GetUtcNow();
        var hourStart = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var at = now.AddSeconds(-1) < hourStart ? hourStart : now.AddSeconds(-1);
        var timestamp = Encoding.ASCII.GetBytes(at.UtcDateTime.ToString(TimestampFormat, System.Globalization.CultureInfo.InvariantCulture));
        var body = (byte[])_template.Clone();
        for (var i = 0; i < _counterAt.Length; i++, _next++)
        {
            Utf8Formatter.TryFormat(_next, body.AsSpan(_counterAt[i], CounterDigits), out _, new System.Buffers.StandardFormat('D', CounterDigits));
            timestamp.CopyTo(body.AsSpan(_timestampAt[i]));
        }
        return body;
    }
}
