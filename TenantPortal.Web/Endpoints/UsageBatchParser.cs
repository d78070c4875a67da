using System.Globalization;
using System.Text.Json;
using TenantPortal.Core.Usage;

namespace TenantPortal.Web.Endpoints;

/// <summary>
/// Reads <c>{"events":[{"id","metric","quantity","timestamp"}]}</c> strictly: malformed JSON, missing fields and wrong
/// types are 400, an unknown metric 422, more than 1,000 events or a body over 2 MB 413; every error names the event.
/// The range rules (negative, too old, future) are the ingestion service's.
/// </summary>
public static class UsageBatchParser
{
    /// <summary>Largest body accepted (1,000 events fit in a fraction of it).</summary>
    public const int MaxBodyBytes = 2 * 1024 * 1024;

    /// <summary>Parses the body of a request.</summary>
    public static async Task<(IReadOnlyList<UsageEventInput>? Events, BatchProblem? Problem)> ParseAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
            return (null, new BatchProblem(StatusCodes.Status413PayloadTooLarge, "body", $"The body can be at most {MaxBodyBytes / 1024 / 1024} MB."));
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
                return (null, new BatchProblem(StatusCodes.Status413PayloadTooLarge, "body", $"The body can be at most {MaxBodyBytes / 1024 / 1024} MB."));
            buffer.Write(chunk, 0, read);
        }
        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
            return Parse(document.RootElement);
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
            var (parsed, problem) = ParseEvent(index, element);
            if (problem is not null)
                return (null, problem);
            events.Add(parsed!);
            index++;
        }
        return (events, null);
    }

    private static (UsageEventInput?, BatchProblem?) ParseEvent(int index, JsonElement e)
    {
        var at = $"events[{index}]";
        BatchProblem Bad(string field, string message, int status = StatusCodes.Status400BadRequest, string? id = null) =>
            new(status, $"{at}.{field}", message, index, id);

        if (e.ValueKind != JsonValueKind.Object)
            return (null, new BatchProblem(StatusCodes.Status400BadRequest, at, "Each event must be an object.", index));
        if (!e.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String)
            return (null, Bad("id", "'id' is required and must be a string."));
        var id = idElement.GetString()!;
        if (!e.TryGetProperty("metric", out var metricElement) || metricElement.ValueKind != JsonValueKind.String)
            return (null, Bad("metric", "'metric' is required and must be a string.", id: id));
        if (!UsageMetrics.TryParse(metricElement.GetString(), out var metric))
            return (null, Bad("metric", $"Unknown metric '{metricElement.GetString()}'; use {string.Join(", ", UsageMetrics.Reported.Select(UsageMetrics.Name))}.",
                StatusCodes.Status422UnprocessableEntity, id));
        if (!e.TryGetProperty("quantity", out var quantityElement) || quantityElement.ValueKind != JsonValueKind.Number)
            return (null, Bad("quantity", "'quantity' is required and must be a number.", id: id));
        if (!quantityElement.TryGetDecimal(out var quantity))
            return (null, Bad("quantity", $"The quantity {quantityElement.GetRawText()} is out of range.", StatusCodes.Status422UnprocessableEntity, id));
        if (!e.TryGetProperty("timestamp", out var timestampElement) || timestampElement.ValueKind != JsonValueKind.String)
            return (null, Bad("timestamp", "'timestamp' is required and must be an ISO 8601 string such as 2026-11-22T10:00:00Z.", id: id));
        if (!DateTimeOffset.TryParse(timestampElement.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var timestamp))
            return (null, Bad("timestamp", $"'{timestampElement.GetString()}' is not an ISO 8601 time such as 2026-11-22T10:00:00Z.", id: id));
        return (new UsageEventInput(id, metric.Value, quantity, timestamp.ToUniversalTime()), null);
    }
}
