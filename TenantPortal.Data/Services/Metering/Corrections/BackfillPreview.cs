using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering.Corrections;

/// <summary>What a backfill would do, before it is applied: its events, their totals per period and metric, and the effect on the bill.</summary>
/// <param name="Items">The parsed events, as the correction will apply them.</param>
/// <param name="Totals">Per usage period and metric: events and quantity.</param>
/// <param name="Effects">Per usage period and metric: the effect on the bill.</param>
public sealed record BackfillPreview(IReadOnlyList<UsageCorrectionItem> Items, IReadOnlyList<BackfillTotal> Totals, IReadOnlyList<BackfillEffect> Effects)
{
    /// <summary>Events in the backfill.</summary>
    public int Events => Items.Count;
}

/// <summary>The backfilled events of one period and metric.</summary>
/// <param name="Period">First instant of the month.</param>
/// <param name="Metric">The metric.</param>
/// <param name="Events">How many events.</param>
/// <param name="Quantity">Their sum.</param>
public sealed record BackfillTotal(DateTimeOffset Period, UsageMetric Metric, int Events, decimal Quantity);

/// <summary>The effect of a backfill on one period's bill for one metric.</summary>
/// <param name="Period">First instant of the month.</param>
/// <param name="Metric">The metric.</param>
/// <param name="Kind">Where the amount goes.</param>
/// <param name="InvoiceNumber">The period's invoice, when it has one.</param>
/// <param name="AmountCents">
/// The amount in cents: for an invoiced period, what its overage comes to after the backfill minus what was billed for it net
/// of credit notes (positive: an adjustment; negative: a credit note); otherwise the change in the period's overage.
/// </param>
public sealed record BackfillEffect(DateTimeOffset Period, UsageMetric Metric, BackfillEffectKind Kind, string? InvoiceNumber, long AmountCents);
