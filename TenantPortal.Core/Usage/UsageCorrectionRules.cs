using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TenantPortal.Core.Common;

namespace TenantPortal.Core.Usage;

/// <summary>
/// The rules a usage correction request must meet before any event is looked at. Errors name the field, e.g.
/// <c>reason</c> or <c>events[3].quantity</c>; a correction is applied whole or not at all.
/// </summary>
public static class UsageCorrectionRules
{
    /// <summary>
    /// The first character of the ids of the events a correction appends (compensating events): refused for reported
    /// events and for correction ids, so that no reporter can send one nor a correction name one.
    /// </summary>
    public const char ReservedPrefix = '~';

    /// <summary>Most characters of a reason.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>
    /// How old a backfilled event may be: a year and a day, so that the same month of last year can still be corrected.
    /// Older periods are closed for good.
    /// </summary>
    public static readonly TimeSpan BackfillWindow = TimeSpan.FromDays(366);

    /// <summary>
    /// The client event id of a compensating event: <c>~c{correction}:{event}</c> for the correction, <c>~r…</c> for its
    /// revert. Built from row ids, so unique per tenant and at most 42 characters.
    /// </summary>
    public static string CompensatingId(long correctionRowId, long eventRowId, bool revert) =>
        string.Create(CultureInfo.InvariantCulture, $"{ReservedPrefix}{(revert ? 'r' : 'c')}{correctionRowId}:{eventRowId}");

    /// <summary>Whether an event id is one the portal appends for a correction.</summary>
    public static bool IsCompensating(string clientEventId) => clientEventId.Length > 0 && clientEventId[0] == ReservedPrefix;

    /// <summary>Checks an id (of a correction or an event) as the usage API checks event ids, plus the reserved prefix.</summary>
    public static Result CheckId(string? id, string field, string subject)
    {
        if (string.IsNullOrWhiteSpace(id))
            return Error.Invalid(field, $"{subject} is required.");
        if (id.Length > FieldLengths.ClientEventId)
            return Error.Invalid(field, $"{subject} can be at most {FieldLengths.ClientEventId} characters long.");
        if (PlainText.IndexOfRefused(id) is var refused and >= 0)
            return PlainText.Refusal(field, subject, id, refused);
        if (char.IsWhiteSpace(id[0]) || char.IsWhiteSpace(id[^1]))
            return Error.Invalid(field, $"{subject} can't begin or end with whitespace.");
        if (id[0] == ReservedPrefix)
            return Error.Invalid(field, $"{subject} can't begin with '{ReservedPrefix}': that is reserved for the portal's corrections.");
        return Result.Success();
    }

    /// <summary>Checks a reason: required, 1–500 characters, plain text.</summary>
    public static Result CheckReason(string? reason, string field = "reason")
    {
        if (string.IsNullOrWhiteSpace(reason))
            return Error.Invalid(field, "A reason is required (1 to 500 characters): it is kept in the audit log.");
        if (reason.Length > MaxReasonLength)
            return Error.Invalid(field, $"The reason can be at most {MaxReasonLength} characters long; this one has {reason.Length}.");
        return PlainText.Check(reason, field, "The reason");
    }

    /// <summary>Checks a request's shape and every item's own fields; the events themselves are looked up afterwards.</summary>
    public static Result Check(UsageCorrectionRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = CheckId(request.Id, "id", "The correction id");
        if (!id.IsSuccess)
            return id;
        // The id is the last segment of the correction's address (GET/DELETE …/corrections/{id}).
        if (request.Id.Contains('/', StringComparison.Ordinal))
            return Error.Invalid("id", "The correction id can't contain '/': it is part of the correction's address.");
        var reason = CheckReason(request.Reason);
        if (!reason.IsSuccess)
            return reason;
        if (request.Events is null || request.Events.Count == 0)
            return Error.Invalid("events", "A correction changes 1 to 1,000 events; this one names none.");
        if (request.Events.Count > UsageBatchRules.MaxEvents)
            return Error.Invalid("events", $"A correction changes at most {UsageBatchRules.MaxEvents:N0} events; this one names {request.Events.Count:N0}.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < request.Events.Count; i++)
        {
            var item = request.Events[i];
            var check = CheckItem(i, item, now);
            if (!check.IsSuccess)
                return check;
            if (!seen.Add(item.EventId))
                return Error.Invalid(Field(i, "eventId"), $"Event '{item.EventId}' is named twice in this correction; an event can be changed once per correction.");
        }
        return Result.Success();
    }

    private static Result CheckItem(int i, UsageCorrectionItem item, DateTimeOffset now)
    {
        var id = CheckId(item.EventId, Field(i, "eventId"), "The event id");
        if (!id.IsSuccess)
            return id;
        if (!Enum.IsDefined(item.Action))
            return Error.Invalid(Field(i, "action"), "The action must be void, amend or backfill.");
        switch (item.Action)
        {
            case UsageCorrectionAction.Void:
                if (item.Quantity is not null)
                    return Error.Invalid(Field(i, "quantity"), "A void takes no quantity: the event stops counting.");
                break;
            case UsageCorrectionAction.Amend:
                if (item.Quantity is not { } amended)
                    return Error.Invalid(Field(i, "quantity"), "An amend needs the quantity the event counts with from now on.");
                var quantity = CheckQuantity(i, amended);
                if (!quantity.IsSuccess)
                    return quantity;
                break;
            case UsageCorrectionAction.Backfill:
                return CheckBackfill(i, item, now);
        }
        if (item.Metric is not null)
            return Error.Invalid(Field(i, "metric"), "Only a backfill names a metric: a void or an amend keeps the event's own.");
        if (item.Timestamp is not null)
            return Error.Invalid(Field(i, "timestamp"), "Only a backfill names a timestamp: a void or an amend keeps the event's own.");
        return Result.Success();
    }

    private static Result CheckBackfill(int i, UsageCorrectionItem item, DateTimeOffset now)
    {
        if (item.Metric is not { } metric)
            return Error.Invalid(Field(i, "metric"), "A backfill needs the new event's metric (api_calls or gpu_hours).");
        if (UsageMetrics.Kind(metric) != MetricKind.Counter)
            return Error.Invalid(Field(i, "metric"),
                $"{UsageMetrics.Name(metric)} is {(UsageMetrics.Kind(metric) == MetricKind.Seats ? "counted from the members" : "a level")}: it can't be backfilled (a revert could not restore the level before it); only api_calls and gpu_hours can.");
        if (item.Quantity is not { } quantity)
            return Error.Invalid(Field(i, "quantity"), "A backfill needs the new event's quantity.");
        var checkedQuantity = CheckQuantity(i, quantity);
        if (!checkedQuantity.IsSuccess)
            return checkedQuantity;
        if (item.Timestamp is not { } timestamp)
            return Error.Invalid(Field(i, "timestamp"), "A backfill needs the new event's timestamp.");
        if (timestamp > now + UsageEvent.FutureTolerance)
            return Error.Invalid(Field(i, "timestamp"), "A backfilled event can't be in the future.");
        if (timestamp < now - BackfillWindow)
            return Error.Invalid(Field(i, "timestamp"), $"A backfilled event can be at most {BackfillWindow.TotalDays:0} days old.");
        return Result.Success();
    }

    /// <summary>The rules of an ingested quantity: not negative, at most the maximum, at most 6 decimal places.</summary>
    private static Result CheckQuantity(int i, decimal quantity)
    {
        if (quantity < 0)
            return Error.Invalid(Field(i, "quantity"), "The quantity can't be negative.");
        if (quantity > UsageBatchRules.MaxQuantity)
            return Error.Invalid(Field(i, "quantity"), $"The quantity can be at most {UsageBatchRules.MaxQuantity:N0}.");
        if (decimal.Round(quantity, UsageBatchRules.MaxQuantityDecimals) != quantity)
            return Error.Invalid(Field(i, "quantity"), $"The quantity can have at most {UsageBatchRules.MaxQuantityDecimals} decimal places.");
        return Result.Success();
    }

    /// <summary>
    /// SHA-256 (hex) of the request's canonical form (reason, then each event's id, action, quantity, metric and time),
    /// so that a retry is recognised and the same id with another body is not taken for one.
    /// </summary>
    public static string Fingerprint(UsageCorrectionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = new StringBuilder().Append(request.Reason).Append('\n');
        foreach (var e in request.Events)
        {
            text.Append(e.EventId).Append('\t').Append((int)e.Action).Append('\t')
                .Append(e.Quantity is { } q ? (q / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture) : "-").Append('\t')
                .Append(e.Metric is { } m ? UsageMetrics.Name(m) : "-").Append('\t')
                .Append(e.Timestamp is { } t ? t.UtcTicks.ToString(CultureInfo.InvariantCulture) : "-").Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string Field(int index, string name) => $"events[{index}].{name}";
}
