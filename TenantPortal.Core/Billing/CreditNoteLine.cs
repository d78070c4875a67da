using TenantPortal.Core.Common;
using TenantPortal.Core.Usage;

namespace TenantPortal.Core.Billing;

/// <summary>
/// One metric's credit on a credit note. Amounts are positive: the quantity and the cents credited (they count as
/// negative against what was billed for the usage period).
/// </summary>
public class CreditNoteLine : ITenantOwned
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>The credit note.</summary>
    public Guid CreditNoteId { get; set; }

    /// <summary>The line's place on the credit note, from 0.</summary>
    public int Position { get; set; }

    /// <summary>The metric credited.</summary>
    public UsageMetric Metric { get; set; }

    /// <summary>The billing period whose usage is credited.</summary>
    public DateTimeOffset UsagePeriodStart { get; set; }

    /// <summary>Text shown on the credit note.</summary>
    public string Description { get; set; } = "";

    /// <summary>Quantity credited (positive; may be zero when only rounding moved the amount).</summary>
    public decimal Quantity { get; set; }

    /// <summary>The metric's overage unit price in cents, possibly fractional.</summary>
    public decimal UnitPriceCents { get; set; }

    /// <summary>Amount credited in whole cents (positive): what is billed for the period minus what its usage costs now, to the cent.</summary>
    public long AmountCents { get; set; }
}
