using TenantPortal.Core.Common;

namespace TenantPortal.Core.Usage;

/// <summary>The rules a usage batch must meet (PRODUCT.md section 5). Errors name the event and field, e.g. <c>events[3].timestamp</c>.</summary>
public static class UsageBatchRules
{
    /// <summary>Most events in one batch.</summary>
    public const int MaxEvents = 1_000;

    /// <summary>Largest quantity of one event (the column holds 14 digits before the point).</summary>
    public const decimal MaxQuantity = 1_000_000_000_000m;

    /// <summary>
    /// Most decimal places of a quantity: the column's scale (decimal(20,6) on SQL Server and PostgreSQL). A quantity with
    /// more would be cut off there, and kept whole by SQLite: refused instead, on every provider. Zeros past the sixth
    /// place change nothing and are accepted (1.5000000 is 1.5).
    /// </summary>
    public const int MaxQuantityDecimals = 6;

    /// <summary>Checks one event; <paramref name="index"/> names it in the error.</summary>
    public static Result Check(int index, UsageEventInput e, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(e.ClientEventId))
            return Error.Invalid(Field(index, "id"), "The event id is required.");
        if (e.ClientEventId.Length > FieldLengths.ClientEventId)
            return Error.Invalid(Field(index, "id"), $"The event id can be at most {FieldLengths.ClientEventId} characters long.");
        // One vectorised scan of the id, no allocation: ids are printable ASCII in practice.
        if (PlainText.IndexOfRefused(e.ClientEventId) is var refused and >= 0)
            return PlainText.Refusal(Field(index, "id"), "The event id", e.ClientEventId, refused);
        // An id is one exact string. SQL Server's '=' ignores trailing spaces under every collation, so 'a' and 'a ' would
        // be one id there and two elsewhere; refused (never trimmed: what is stored is what was sent), leading ones alike.
        if (char.IsWhiteSpace(e.ClientEventId[0]) || char.IsWhiteSpace(e.ClientEventId[^1]))
            return Error.Invalid(Field(index, "id"), "The event id can't begin or end with whitespace.");
        // The portal's own compensating events (usage corrections) begin with it: no reporter may send one.
        if (e.ClientEventId[0] == UsageCorrectionRules.ReservedPrefix)
            return Error.Invalid(Field(index, "id"), $"The event id can't begin with '{UsageCorrectionRules.ReservedPrefix}': that is reserved for the portal's corrections.");
        if (UsageMetrics.Kind(e.Metric) == MetricKind.Seats)
            return Error.Invalid(Field(index, "metric"), "'users' is not reported: seats are counted from the members.");
        if (e.Quantity < 0)
            return Error.Invalid(Field(index, "quantity"), "The quantity can't be negative.");
        if (e.Quantity > MaxQuantity)
            return Error.Invalid(Field(index, "quantity"), $"The quantity can be at most {MaxQuantity:N0}.");
        if (decimal.Round(e.Quantity, MaxQuantityDecimals) != e.Quantity)
            return Error.Invalid(Field(index, "quantity"), $"The quantity can have at most {MaxQuantityDecimals} decimal places.");
        if (e.Timestamp < now - UsageEvent.AcceptanceWindow)
            return Error.Invalid(Field(index, "timestamp"), $"The timestamp is more than {UsageEvent.AcceptanceWindow.TotalDays:0} days old.");
        if (e.Timestamp > now + UsageEvent.FutureTolerance)
            return Error.Invalid(Field(index, "timestamp"), $"The timestamp is more than {UsageEvent.FutureTolerance.TotalMinutes:0} minutes in the future.");
        return Result.Success();
    }

    // The field's name in an error, built only when there is one (this runs for every event of every batch).
    private static string Field(int index, string name) => $"events[{index}].{name}";
}
