using TenantPortal.Core.Common;
using TenantPortal.Core.Usage;

namespace TenantPortal.Core.Billing;

/// <summary>One line of an invoice, rounded once to the cent.</summary>
public class InvoiceLine : ITenantOwned
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>The invoice.</summary>
    public Guid InvoiceId { get; set; }

    /// <summary>The line's place on the invoice, from 0.</summary>
    public int Position { get; set; }

    /// <summary>What the line bills.</summary>
    public InvoiceLineKind Kind { get; set; }

    /// <summary>The metric, for overage and adjustment lines.</summary>
    public UsageMetric? Metric { get; set; }

    /// <summary>
    /// The billing period whose usage the line bills (overage and late-usage adjustment lines): the invoice's own
    /// period for overage, an earlier one for usage that arrived after its period was invoiced.
    /// </summary>
    public DateTimeOffset? UsagePeriodStart { get; set; }

    /// <summary>Text shown on the invoice.</summary>
    public string Description { get; set; } = "";

    /// <summary>Quantity billed.</summary>
    public decimal Quantity { get; set; }

    /// <summary>Unit price in cents, possibly fractional.</summary>
    public decimal UnitPriceCents { get; set; }

    /// <summary>Amount in whole cents.</summary>
    public long AmountCents { get; set; }
}
