using System.Text.Json;
using TenantPortal.Core.Usage;

namespace TenantPortal.Web.Endpoints;

/// <summary>
/// Reads <c>{"events":[{"id","metric","quantity","timestamp"}]}</c> strictly: malformed JSON, missing fields and wrong
/// types are 400, an unknown metric 422, more than 1,000 events or a body over 1 MiB 413; every error names the event.
/// The range rules (negative, too old, future) and the text rule of the id are the ingestion service's
/// (<see cref="UsageBatchRules"/>).
/// </summary>
public static class UsageBatchParser
{
    /// <summary>Largest body accepted (1,000 events fit in a fraction of it).</summary>
    public const int MaxBodyBytes = (int)Security.RequestBodyLimits.ApiBytes;

    /// <summary>Parses the body of a request.</summary>
    public static async Task<(IReadOnlyList<UsageEventInput>? Events, BatchProblem? Problem)> ParseAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
            return (null, new BatchProblem(StatusCodes.Status413PayloadTooLarge, "body", $"The body can be at most {Security.RequestBodyLimits.Describe(MaxBodyBytes)} ({MaxBodyBytes:D} bytes)."));
        // One buffer sized from Content-Length when given; parsed in place (no copy of the body).
        using var buffer = new MemoryStream(request.ContentLength is > 0 and var length ? (int)length : 16 * 1024);
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                    return (null, new BatchProblem(StatusCodes.Status413PayloadTooLarge, "body", $"The body can be at most {Security.RequestBodyLimits.Describe(MaxBodyBytes)} ({MaxBodyBytes:D} bytes)."));
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
        try
        {
            using var document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), new JsonDocumentOptions { MaxDepth = 8 });
            try
            {
                return Parse(document.RootElement);
            }
            catch (InvalidOperationException) when (JsonText.FindInvalid(document.RootElement) is { } notText)
            {
                // Looked for only when a read failed: the batch's strings are not walked twice on the ingest path.
                return (null, new BatchProblem(StatusCodes.Status400BadRequest, notText, $"{notText} {JsonText.NotText}."));
            }
        }
        catch (JsonException ex)
        {
            return (null, new BatchProblem(StatusCodes.Status400BadRequest, "body", $"The body is not valid JSON: {ex.Message}"));
        }
    }

    private static (IReadOnlyList<UsageEventInput>?, BatchProblem?) Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("events", out var array))
            return (null, new BatchProblem(StatusCodes.Status400BadRequest, "events", "The body must be an object with an 'events' array."));
        if (array.ValueKind != JsonValueKind.Array)
            return (null, new BatchProblem(StatusCodes.Status400BadRequest, "events", "'events' must be an array."));
        var count = array.GetArrayLength();
        if (count > UsageBatchRules.MaxEvents)
            return (null, new BatchProblem(StatusCodes.Status413PayloadTooLarge, "events", $"A batch holds at most {UsageBatchRules.MaxEvents:N0} events; this one has {count:N0}."));

        var events = new List<UsageEventInput>(count);
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var (parsed, problem) = ParseEventReadingStrings(index, element);
            if (problem is not null)
                return (null, problem);
            events.Add(parsed!);
            index++;
        }
        return (events, null);
    }

    // A string that escapes half a surrogate pair can't be read (GetString throws): a 400 naming the event. The try
    // costs nothing while nothing throws.
    private static (UsageEventInput?, BatchProblem?) ParseEventReadingStrings(int index, JsonElement e)
    {
        try
        {
            return ParseEvent(index, e);
        }
        catch (InvalidOperationException)
        {
            var where = JsonText.FindInvalid(e, $"events[{index}]") ?? $"events[{index}]";
            return (null, new BatchProblem(StatusCodes.Status400BadRequest, where, $"{where} {JsonText.NotText}.", index));
        }
    }

    private static (UsageEventInput?, BatchProblem?) ParseEvent(int index, JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
            return (null, new BatchProblem(StatusCodes.Status400BadRequest, $"events[{index}]", "Each event must be an object.", index));
        if (!e.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String)
            return (null, Bad(index, "id", "'id' is required and must be a string."));
        var id = idElement.GetString()!;
        if (!e.TryGetProperty("metric", out var metricElement) || metricElement.ValueKind != JsonValueKind.String)
            return (null, Bad(index, "metric", "'metric' is required and must be a string.", id: id));
        if (!TryParseMetric(metricElement, out var metric))
            return (null, UnknownMetric(index, metricElement.GetString()!, id));
        if (!e.TryGetProperty("quantity", out var quantityElement) || quantityElement.ValueKind != JsonValueKind.Number)
            return (null, Bad(index, "quantity", "'quantity' is required and must be a number.", id: id));
        if (!quantityElement.TryGetDecimal(out var quantity))
            return (null, Bad(index, "quantity", $"The quantity {quantityElement.GetRawText()} is out of range.", StatusCodes.Status422UnprocessableEntity, id));
        if (!e.TryGetProperty("timestamp", out var timestampElement) || timestampElement.ValueKind != JsonValueKind.String)
            return (null, Bad(index, "timestamp", "'timestamp' is required and must be an ISO 8601 string such as 2026-11-22T10:00:00Z.", id: id));
        if (!UsageTimestamps.TryParse(timestampElement, out var timestamp))
            return (null, Bad(index, "timestamp", $"'{timestampElement.GetString()}' is not an ISO 8601 time such as 2026-11-22T10:00:00Z.", id: id));
        return (new UsageEventInput(id, metric, quantity, timestamp), null);
    }

    // A known metric never holds a refused character, so the text rule is looked at only here, on the way to an error:
    // the message then names the character instead of repeating it.
    private static BatchProblem UnknownMetric(int index, string metric, string id) =>
        Core.Common.PlainText.Problem(metric, "The metric") is { } refused
            ? Bad(index, "metric", refused, StatusCodes.Status422UnprocessableEntity, id)
            : Bad(index, "metric", $"Unknown metric '{metric}'; use {string.Join(", ", UsageMetrics.Reported.Select(UsageMetrics.Name))}.",
                StatusCodes.Status422UnprocessableEntity, id);

    // The error names the event and field; built only when there is one.
    private static BatchProblem Bad(int index, string field, string message, int status = StatusCodes.Status400BadRequest, string? id = null) =>
        new(status, $"events[{index}].{field}", message, index, id);

    // The metric names compared as UTF-8 without making a string; anything else goes through UsageMetrics.
    private static bool TryParseMetric(JsonElement element, out UsageMetric metric)
    {
        foreach (var known in UsageMetrics.Reported)
        {
            if (element.ValueEquals(UsageMetrics.Name(known)))
            {
                metric = known;
                return true;
            }
        }
        var parsed = UsageMetrics.TryParse(element.GetString(), out var other);
        metric = other ?? default;
        return parsed;
    }
}
