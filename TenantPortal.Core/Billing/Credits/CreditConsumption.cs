using TenantPortal.Core.Common;

namespace TenantPortal.Core.Billing.Credits;

/// <summary>
/// What one grant paid of one invoice: the trace of the invoice's "Credits applied" line, stored in the transaction that
/// stores the invoice. (InvoiceId, GrantId) is unique.
/// </summary>
public class CreditConsumption : ITenantOwned
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>The grant drawn on.</summary>
    public Guid GrantId { get; set; }

    /// <summary>The invoice paid.</summary>
    public Guid InvoiceId { get; set; }

    /// <summary>The invoice's number, e.g. <c>ACME-202610</c>.</summary>
    public string InvoiceNumber { get; set; } = "";

    /// <summary>Cents taken from the grant.</summary>
    public long AmountCents { get; set; }

    /// <summary>When (the invoice's issue time).</summary>
    public DateTimeOffset At { get; set; }
}
