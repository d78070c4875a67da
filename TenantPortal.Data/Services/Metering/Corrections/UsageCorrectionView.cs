using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering.Corrections;

/// <summary>A usage correction as the API and the Usage tab show it.</summary>
/// <param name="Id">The caller's correction id.</param>
/// <param name="Reason">Why it was made.</param>
/// <param name="CreatedAt">When it was applied.</param>
/// <param name="CreatedBy">Who applied it (the audit log's display).</param>
/// <param name="RevertedAt">When it was reverted; null while it counts.</param>
/// <param name="RevertedBy">Who reverted it.</param>
/// <param name="RevertReason">Why it was reverted, when given.</param>
/// <param name="Events">Its events, in the request's order.</param>
/// <param name="RowId">Its row id: the position of the list's cursor.</param>
public sealed record UsageCorrectionView(string Id, string Reason, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevertedAt,
    string? RevertedBy, string? RevertReason, IReadOnlyList<UsageCorrectionLineView> Events, long RowId)
{
    /// <summary>The correction's net change per metric (zero changes left out).</summary>
    public IReadOnlyDictionary<UsageMetric, decimal> NetByMetric =>
        Events.GroupBy(e => e.Metric).Select(g => (g.Key, Sum: g.Sum(e => e.Delta))).Where(x => x.Sum != 0).ToDictionary(x => x.Key, x => x.Sum);

    internal static UsageCorrectionView From(UsageCorrection c) =>
        new(c.CorrectionId, c.Reason, c.CreatedAt, c.CreatedBy, c.RevertedAt, c.RevertedBy, c.RevertReason,
            c.Lines.OrderBy(l => l.Id).Select(l => new UsageCorrectionLineView(l.ClientEventId, l.Action, l.Metric, l.Timestamp,
                Plain(l.QuantityBefore), Plain(l.QuantityAfter), Plain(l.Delta))).ToList(),
            c.Id);

    // The same quantity reads the same whether computed or read back (a database keeps its column's scale: 250.000000).
    private static decimal Plain(decimal value) => value / 1.000000000000000000000000000000000m;
}

/// <summary>One event of a correction.</summary>
/// <param name="EventId">The reporter's id of the event.</param>
/// <param name="Action">Void, amend or backfill.</param>
/// <param name="Metric">The event's metric.</param>
/// <param name="Timestamp">The event's time.</param>
/// <param name="QuantityBefore">What it counted before (0 for a backfill).</param>
/// <param name="QuantityAfter">What it counts with the correction (0 for a void).</param>
/// <param name="Delta">After minus before.</param>
public sealed record UsageCorrectionLineView(string EventId, UsageCorrectionAction Action, UsageMetric Metric, DateTimeOffset Timestamp,
    decimal QuantityBefore, decimal QuantityAfter, decimal Delta);

/// <summary>The answer to a correction request: the correction, and whether this request applied it (false: a retry of it).</summary>
public sealed record UsageCorrectionOutcome(UsageCorrectionView Correction, bool Created);

/// <summary>A page of corrections, newest first; <paramref name="NextAfter"/> is the row id to continue after (null: the last page).</summary>
public sealed record UsageCorrectionPage(IReadOnlyList<UsageCorrectionView> Items, long? NextAfter);
