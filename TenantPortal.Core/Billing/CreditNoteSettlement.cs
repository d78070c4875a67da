namespace TenantPortal.Core.Billing;

/// <summary>How an issued credit note reaches the customer.</summary>
public enum CreditNoteSettlement
{
    /// <summary>Not issued yet.</summary>
    None = 0,
    /// <summary>The credited invoice was still open: its amount due dropped by the credit.</summary>
    AmountDueReduced = 1,
    /// <summary>The credited invoice was paid in Stripe: the credit went to the customer's Stripe balance, which Stripe applies to the next invoice.</summary>
    CustomerBalance = 2,
    /// <summary>The credited invoice was paid on the local ledger: the operator refunds the credit out of band.</summary>
    RefundDue = 3,
}
