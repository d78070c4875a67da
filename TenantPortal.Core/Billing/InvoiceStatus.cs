namespace TenantPortal.Core.Billing;

/// <summary>The state of an invoice.</summary>
public enum InvoiceStatus
{
    /// <summary>Being prepared; not yet due.</summary>
    Draft = 0,
    /// <summary>Issued and awaiting payment.</summary>
    Open = 1,
    /// <summary>Paid.</summary>
    Paid = 2,
    /// <summary>Cancelled; nothing is owed.</summary>
    Void = 3,
    /// <summary>Written off.</summary>
    Uncollectible = 4,
}
