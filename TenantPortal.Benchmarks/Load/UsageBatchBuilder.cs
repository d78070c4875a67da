using System.Buffers;
using System.Text.Json;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// Builds the JSON bodies of <c>POST /api/v1/usage</c> for one load client: batches of fresh events (ids unique per run
/// and client), api_calls and gpu_hours mixed, timestamps in the last minute and within the current hour.
/// </summary>
public sealed class UsageBatchBuilder(string runId, int client, TimeProvider time)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(128 * 1024);
    private long _next;

    /// <summary>A body of <paramref name="size"/> new events (a copy: the content may be sent while the next is built).</summary>
    public byte[] Next(int size)
    {
        var now = time.GetUtcNow();
        var hourStart = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        _buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(_buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("events");
            for (var i = 0; i < size; i++, _next++)
            {
                var gpu = _next % 4 == 3;
                var at = now.AddSeconds(-(i % 60));
                json.WriteStartObject();
                json.WriteString("id", $"{runId}-{client}-{_next}");
                json.WriteString("metric", gpu ? "gpu_hours" : "api_calls");
                if (gpu)
                    json.WriteNumber("quantity", 0.25m);
                else
                    json.WriteNumber("quantity", 1);
                json.WriteString("timestamp", at < hourStart ? hourStart : at);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return _buffer.WrittenSpan.ToArray();
    }
}
