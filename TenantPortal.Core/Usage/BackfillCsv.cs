using System.Globalization;

namespace TenantPortal.Core.Usage;

/// <summary>
/// The operators' backfill file: CSV (RFC 4180 quoting) with the header <c>id,metric,quantity,timestamp</c> and one past
/// usage event per line, counters only (<c>api_calls</c>, <c>gpu_hours</c>), at most <see cref="UsageBatchRules.MaxEvents"/>
/// events (one correction) and <see cref="MaxBytes"/> bytes. Every line is checked and every problem reported with its
/// line and column; the file is taken whole or not at all. Each line becomes a <see cref="UsageCorrectionAction.Backfill"/>
/// item of one correction (the corrections service checks the ids against the tenant's events).
/// </summary>
public static class BackfillCsv
{
    /// <summary>The header line, exactly (case-insensitive, spaces around names allowed).</summary>
    public const string Header = "id,metric,quantity,timestamp";

    /// <summary>Largest file accepted.</summary>
    public const int MaxBytes = 256 * 1024;

    /// <summary>Most problems reported (the rest are counted).</summary>
    public const int MaxErrors = 50;

    private static readonly string[] Columns = ["id", "metric", "quantity", "timestamp"];

    /// <summary>
    /// Parses <paramref name="text"/> into backfill items; on any problem, the list of problems instead (empty items).
    /// <paramref name="now"/> bounds the timestamps: not in the future, at most <see cref="UsageCorrectionRules.BackfillWindow"/> old.
    /// </summary>
    public static (IReadOnlyList<UsageCorrectionItem> Items, IReadOnlyList<BackfillCsvError> Errors) Parse(string text, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(text);
        var errors = new List<BackfillCsvError>();
        if (System.Text.Encoding.UTF8.GetByteCount(text) > MaxBytes)
            return ([], [new BackfillCsvError(1, null, $"The file is larger than {MaxBytes / 1024} KB; split it into several backfills.")]);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var count = lines.Length;
        while (count > 0 && lines[count - 1].Trim().Length == 0)
            count--;
        if (count == 0)
            return ([], [new BackfillCsvError(1, null, $"The file is empty; it needs the header {Header} and one event per line.")]);
        var header = Fields(lines[0].TrimStart('\uFEFF'));
        if (header is null || header.Count != Columns.Length || !header.Select(h => h.Trim()).SequenceEqual(Columns, StringComparer.OrdinalIgnoreCase))
            return ([], [new BackfillCsvError(1, null, $"The first line must be the header {Header}.")]);
        if (count == 1)
            return ([], [new BackfillCsvError(2, null, "The file has no events after its header.")]);
        if (count - 1 > UsageBatchRules.MaxEvents)
            return ([], [new BackfillCsvError(UsageBatchRules.MaxEvents + 2, null,
                $"A backfill holds at most {UsageBatchRules.MaxEvents:N0} events (one correction); this file has {count - 1:N0}.")]);

        var items = new List<UsageCorrectionItem>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 1; i < count; i++)
        {
            var line = i + 1;
            var fields = Fields(lines[i]);
            if (fields is null)
            {
                errors.Add(new BackfillCsvError(line, null, "A quoted field is not closed."));
                continue;
            }
            if (fields.Count != Columns.Length)
            {
                errors.Add(new BackfillCsvError(line, null, $"The line has {fields.Count} fields; it needs 4 ({Header})."));
                continue;
            }
            var lineErrors = errors.Count;
            var id = fields[0];
            if (UsageCorrectionRules.CheckId(id, "id", "The event id") is { IsSuccess: false } badId)
                errors.Add(new BackfillCsvError(line, "id", badId.Error!.Message));
            else if (seen.TryGetValue(id, out var first))
                errors.Add(new BackfillCsvError(line, "id", $"Event id '{id}' is already on line {first}; each event is backfilled once."));
            else
                seen[id] = line;

            UsageMetric? metric = null;
            if (!UsageMetrics.TryParse(fields[1].Trim(), out var parsed))
                errors.Add(new BackfillCsvError(line, "metric", $"Unknown metric '{fields[1].Trim()}'; a backfill takes api_calls or gpu_hours."));
            else if (UsageMetrics.Kind(parsed.Value) != MetricKind.Counter)
                errors.Add(new BackfillCsvError(line, "metric", $"{UsageMetrics.Name(parsed.Value)} is not a counter; only api_calls and gpu_hours can be backfilled."));
            else
                metric = parsed;

            decimal? quantity = null;
            var q = fields[2].Trim();
            if (!decimal.TryParse(q, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
                errors.Add(new BackfillCsvError(line, "quantity", $"'{q}' is not a number (use a dot for decimals, e.g. 12.5)."));
            else if (value < 0)
                errors.Add(new BackfillCsvError(line, "quantity", "The quantity can't be negative."));
            else if (value > UsageBatchRules.MaxQuantity)
                errors.Add(new BackfillCsvError(line, "quantity", $"The quantity can be at most {UsageBatchRules.MaxQuantity:N0}."));
            else if (decimal.Round(value, UsageBatchRules.MaxQuantityDecimals) != value)
                errors.Add(new BackfillCsvError(line, "quantity", $"The quantity can have at most {UsageBatchRules.MaxQuantityDecimals} decimal places."));
            else
                quantity = value;

            DateTimeOffset? timestamp = null;
            var t = fields[3].Trim();
            if (!DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
                || !t.Contains('T', StringComparison.Ordinal))
                errors.Add(new BackfillCsvError(line, "timestamp", $"'{t}' is not an ISO 8601 time (e.g. 2026-10-14T09:30:00Z)."));
            else if (at > now)
                errors.Add(new BackfillCsvError(line, "timestamp", "A backfilled event can't be in the future."));
            else if (at < now - UsageCorrectionRules.BackfillWindow)
                errors.Add(new BackfillCsvError(line, "timestamp", $"A backfilled event can be at most {UsageCorrectionRules.BackfillWindow.TotalDays:0} days old."));
            else
                timestamp = at.ToUniversalTime();

            if (errors.Count == lineErrors)
                items.Add(new UsageCorrectionItem(id, UsageCorrectionAction.Backfill, quantity, metric, timestamp));
        }
        if (errors.Count == 0)
            return (items, []);
        if (errors.Count > MaxErrors)
        {
            var more = errors.Count - MaxErrors;
            errors = errors.Take(MaxErrors).Append(new BackfillCsvError(errors[MaxErrors].Line, null, $"…and {more:N0} more problems.")).ToList();
        }
        return ([], errors);
    }

    // The fields of one CSV line (RFC 4180: quoted fields may hold commas and doubled quotes); null when a quote is left open.
    private static List<string>? Fields(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                    quoted = false;
                else
                    current.Append(c);
            }
            else if (c == '"' && current.Length == 0)
                quoted = true;
            else if (c == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
                current.Append(c);
        }
        if (quoted)
            return null;
        fields.Add(current.ToString());
        return fields;
    }
}
