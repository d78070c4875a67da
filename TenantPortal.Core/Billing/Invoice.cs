using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Core.Billing;

/// <summary>An invoice for one tenant and one monthly period; (TenantId, PeriodStart) is unique, so a period is never billed twice.</summary>
public class Invoice : ITenantOwned
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>Human invoice number, unique, e.g. <c>ACME-202610</c>.</summary>
    public string Number { get; set; } = "";

    /// <summary>First instant of the billed period (UTC, first of a month).</summary>
    public DateTimeOffset PeriodStart { get; set; }

    /// <summary>First instant after the billed period.</summary>
    public DateTimeOffset PeriodEnd { get; set; }

    /// <summary>The tier billed.</summary>
    public SubscriptionTier Tier { get; set; }

    /// <summary>State.</summary>
    public InvoiceStatus Status { get; set; }

    /// <summary>ISO currency code, lower-case.</summary>
    public string Currency { get; set; } = "usd";

    /// <summary>Sum of the lines, in cents.</summary>
    public long TotalCents { get; set; }

    /// <summary>When it was issued.</summary>
    public DateTimeOffset IssuedAt { get; set; }

    /// <summary>When payment is due.</summary>
    public DateTimeOffset DueAt { get; set; }

    /// <summary>When it was paid.</summary>
    public DateTimeOffset? PaidAt { get; set; }

    /// <summary>The Stripe invoice this one mirrors, when billing runs on Stripe.</summary>
    public string? StripeInvoiceId { get; set; }

    /// <summary>A link to the hosted invoice page, when there is one.</summary>
    public string? HostedUrl { get; set; }

    /// <summary>The creation time of the newest Stripe event applied to this invoice (older events are ignored).</summary>
    public DateTimeOffset? StripeStateAt { get; set; }

    /// <summary>The lines.</summary>
    public List<InvoiceLine> Lines { get; set; } = [];

    /// <summary>Numbers the lines in their order and recomputes <see cref="TotalCents"/> from them.</summary>
    public void RecalculateTotal()
    {
        for (var i = 0; i < Lines.Count; i++)
            Lines[i].Position = i;
        TotalCents = Lines.Sum(l => l.AmountCents);
    }
}
