using System.Text.Json;
using TenantPortal.Core.Common;
using TenantPortal.Core.Usage;

namespace TenantPortal.Web.Endpoints.Management;

/// <summary>
/// Reads the body of <c>POST /api/v1/usage/corrections</c> strictly: <c>{"id","reason","events":[{"eventId","action",
/// "quantity","metric","timestamp"}]}</c>. A field of the wrong type, or one the request doesn't know, is a 422 naming it
/// (<c>events[3].quantity</c>); the rules of the values themselves are <see cref="UsageCorrectionRules"/>'.
/// </summary>
public static class UsageCorrectionParser
{
    /// <summary>The largest body: 1,000 events with long ids fit.</summary>
    public const int MaxBytes = 512 * 1024;

    private static readonly string[] Fields = ["id", "reason", "events"];
    private static readonly string[] EventFields = ["eventId", "action", "quantity", "metric", "timestamp"];

    /// <summary>The action's wire name: <c>void</c>, <c>amend</c> or <c>backfill</c>.</summary>
    public static string ActionName(UsageCorrectionAction action) => action switch
    {
        UsageCorrectionAction.Void => "void",
        UsageCorrectionAction.Amend => "amend",
        UsageCorrectionAction.Backfill => "backfill",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    /// <summary>The request, or the problem to answer.</summary>
    public static async Task<(UsageCorrectionRequest? Request, IResult? Problem)> ParseAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiBody.ReadObjectAsync(request, Fields, MaxBytes, cancellationToken);
        if (problem is not null)
            return (null, problem);
        var parsed = Parse(body);
        return parsed.IsSuccess ? (parsed.Value, null) : (null, ApiProblems.From(parsed.Error!));
    }

    /// <summary>The request from a JSON object already read.</summary>
    public static Result<UsageCorrectionRequest> Parse(JsonElement body)
    {
        var id = ApiBody.RequiredString(body, "id");
        if (!id.IsSuccess)
            return id.Error!;
        var reason = ApiBody.RequiredString(body, "reason");
        if (!reason.IsSuccess)
            return reason.Error!;
        if (!body.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
            return Error.Invalid("events", "events is required: a list of 1 to 1,000 events, each {\"eventId\",\"action\"} (and \"quantity\" to amend).");
        var items = new List<UsageCorrectionItem>(events.GetArrayLength());
        var index = 0;
        foreach (var e in events.EnumerateArray())
        {
            var item = ParseItem(index++, e);
            if (!item.IsSuccess)
                return item.Error!;
            items.Add(item.Value);
        }
        return new UsageCorrectionRequest(id.Value, reason.Value, items);
    }

    private static Result<UsageCorrectionItem> ParseItem(int i, JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
            return Error.Invalid($"events[{i}]", "Each event must be an object such as {\"eventId\":\"e-17\",\"action\":\"void\"}.");
        foreach (var property in e.EnumerateObject())
        {
            if (!EventFields.Contains(property.Name))
                return Error.Invalid($"events[{i}].{(PlainText.IsClean(property.Name) ? property.Name : "?")}",
                    $"'{(PlainText.IsClean(property.Name) ? property.Name : "?")}' is not a field of a correction's event; use {string.Join(", ", EventFields)}.");
        }
        if (!e.TryGetProperty("eventId", out var idElement) || idElement.ValueKind != JsonValueKind.String)
            return Error.Invalid(Field(i, "eventId"), "eventId is required and must be a string.");
        if (!e.TryGetProperty("action", out var actionElement) || actionElement.ValueKind != JsonValueKind.String)
            return Error.Invalid(Field(i, "action"), "action is required: void, amend or backfill.");
        UsageCorrectionAction? action = actionElement.GetString() switch
        {
            "void" => UsageCorrectionAction.Void,
            "amend" => UsageCorrectionAction.Amend,
            "backfill" => UsageCorrectionAction.Backfill,
            _ => null,
        };
        if (action is null)
            return Error.Invalid(Field(i, "action"), "action must be void, amend or backfill.");

        decimal? quantity = null;
        if (e.TryGetProperty("quantity", out var q) && q.ValueKind != JsonValueKind.Null)
        {
            if (q.ValueKind != JsonValueKind.Number || !q.TryGetDecimal(out var value))
                return Error.Invalid(Field(i, "quantity"), $"quantity must be a finite number from 0 to {UsageBatchRules.MaxQuantity:N0}.");
            quantity = value;
        }
        UsageMetric? metric = null;
        if (e.TryGetProperty("metric", out var m) && m.ValueKind != JsonValueKind.Null)
        {
            if (m.ValueKind != JsonValueKind.String || !UsageMetrics.TryParse(m.GetString(), out var parsed))
                return Error.Invalid(Field(i, "metric"), "metric must be one of api_calls, gpu_hours (storage_gb and studies are levels, users are members).");
            metric = parsed;
        }
        DateTimeOffset? timestamp = null;
        if (e.TryGetProperty("timestamp", out var t) && t.ValueKind != JsonValueKind.Null)
        {
            if (t.ValueKind != JsonValueKind.String || !UsageTimestamps.TryParse(t, out var at))
                return Error.Invalid(Field(i, "timestamp"), "timestamp must be an ISO 8601 time such as 2026-11-22T10:00:00Z.");
            timestamp = at;
        }
        return new UsageCorrectionItem(idElement.GetString()!, action.Value, quantity, metric, timestamp);
    }

    private static string Field(int index, string name) => $"events[{index}].{name}";
}
