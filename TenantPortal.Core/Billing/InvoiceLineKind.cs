namespace TenantPortal.Core.Billing;

/// <summary>What an invoice line bills.</summary>
public enum InvoiceLineKind
{
    /// <summary>The plan's base price.</summary>
    Base = 0,
    /// <summary>Usage beyond a quota.</summary>
    Overage = 1,
    /// <summary>Usage that arrived after its period was invoiced, or a proration.</summary>
    Adjustment = 2,
    /// <summary>Prepaid credits paying part of the invoice: a negative amount, never more than the other lines come to.</summary>
    CreditsApplied = 3,
}
