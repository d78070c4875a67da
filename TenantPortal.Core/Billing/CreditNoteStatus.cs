namespace TenantPortal.Core.Billing;

/// <summary>The state of a credit note.</summary>
public enum CreditNoteStatus
{
    /// <summary>Stored (it counts as credited) but not yet carried out by the payment provider; the settlement pass retries it.</summary>
    Pending = 0,
    /// <summary>Carried out: recorded on the ledger, or created in Stripe.</summary>
    Issued = 1,
}
