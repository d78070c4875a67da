using TenantPortal.Core.Billing;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Billing;

/// <summary>One invoice line as shown.</summary>
/// <param name="Id">Line id.</param>
/// <param name="Kind">Base, overage or adjustment.</param>
/// <param name="Metric">The metric of an overage or late-usage line.</param>
/// <param name="UsagePeriodStart">The period whose usage the line bills (overage and late usage).</param>
/// <param name="Description">Text.</param>
/// <param name="Quantity">Quantity (overage quantity, or the share of a period for a base line).</param>
/// <param name="UnitPriceCents">Unit price in (fractional) cents.</param>
/// <param name="AmountCents">Amount in cents.</param>
public sealed record InvoiceLineRow(Guid Id, InvoiceLineKind Kind, UsageMetric? Metric, DateTimeOffset? UsagePeriodStart, string Description,
    decimal Quantity, decimal UnitPriceCents, long AmountCents)
{
    /// <summary>True when the usage behind the line can be opened and exported.</summary>
    public bool IsTraceable => Metric is not null && UsagePeriodStart is not null;

    /// <summary>The row of a stored line.</summary>
    public static InvoiceLineRow From(InvoiceLine l) => new(l.Id, l.Kind, l.Metric, l.UsagePeriodStart, l.Description, l.Quantity, l.UnitPriceCents, l.AmountCents);
}
