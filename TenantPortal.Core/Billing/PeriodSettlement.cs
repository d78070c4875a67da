using System.Globalization;
using TenantPortal.Core.Usage;

namespace TenantPortal.Core.Billing;

/// <summary>
/// Where an invoiced period stands once its usage changed after it was invoiced: per metric with an overage price, what
/// its overage comes to now against what was billed for it (its overage line and later adjustment lines) minus what credit
/// notes already credited. A shortfall (now below the net billed) is a credit note now; an excess is an adjustment line on
/// the next invoice (<see cref="InvoiceComposer.LateUsageAdjustment"/>). Differences are always "cents now minus net cents
/// billed", never a sum of rounded deltas, so any sequence of corrections and reverts ends on the exact figure.
/// </summary>
public static class PeriodSettlement
{
    /// <summary>What was billed (or credited) for one metric of a period, in quantity and cents.</summary>
    public readonly record struct Amount(decimal Quantity, long Cents)
    {
        /// <summary>Sum of two amounts.</summary>
        public static Amount operator +(Amount a, Amount b) => new(a.Quantity + b.Quantity, a.Cents + b.Cents);

        /// <summary>Difference of two amounts.</summary>
        public static Amount operator -(Amount a, Amount b) => new(a.Quantity - b.Quantity, a.Cents - b.Cents);
    }

    /// <summary>The metrics a period is settled on: those with an overage price.</summary>
    public static IEnumerable<UsageMetric> Metrics => UsageMetrics.All.Where(m => OverageRates.UnitPriceCents(m) is not null);

    /// <summary>
    /// The credit lines of a period: for each metric whose overage now is below what was billed net of credits, the
    /// difference (positive). Empty when nothing is owed back.
    /// </summary>
    /// <param name="usagePeriodStart">The period.</param>
    /// <param name="now">The period's overage lines computed now (empty when no overage is billed).</param>
    /// <param name="netBilled">Per metric, billed minus credited so far.</param>
    public static List<CreditNoteLine> CreditLines(DateTimeOffset usagePeriodStart, IReadOnlyList<OverageLine> now,
        IReadOnlyDictionary<UsageMetric, Amount> netBilled)
    {
        var lines = new List<CreditNoteLine>();
        foreach (var metric in Metrics)
        {
            var billed = netBilled.GetValueOrDefault(metric);
            var current = now.FirstOrDefault(l => l.Metric == metric);
            var cents = billed.Cents - (current?.AmountCents ?? 0);
            if (cents <= 0)
                continue;
            lines.Add(new CreditNoteLine
            {
                Metric = metric,
                UsagePeriodStart = usagePeriodStart,
                Description = string.Create(CultureInfo.InvariantCulture,
                    $"{UsageMetrics.DisplayName(metric)} of {usagePeriodStart.UtcDateTime:MMMM yyyy} corrected after it was invoiced"),
                Quantity = Math.Max(0, billed.Quantity - (current?.Quantity ?? 0)),
                UnitPriceCents = OverageRates.UnitPriceCents(metric) ?? 0,
                AmountCents = cents,
            });
        }
        return lines;
    }

    /// <summary>
    /// The late-usage adjustment of one metric, given what was billed net of credits: only an increase is billed (a
    /// decrease is credit-note territory and never a negative adjustment line). Null when there is nothing to add.
    /// </summary>
    public static InvoiceLine? Adjustment(UsageMetric metric, DateTimeOffset usagePeriodStart, OverageLine? now, Amount netBilled)
    {
        var line = InvoiceComposer.LateUsageAdjustment(metric, usagePeriodStart, now, netBilled.Quantity, netBilled.Cents);
        return line is null || line.AmountCents < 0 || (line.AmountCents == 0 && line.Quantity <= 0) ? null : line;
    }
}
