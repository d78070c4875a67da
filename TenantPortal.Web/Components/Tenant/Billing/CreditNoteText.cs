using TenantPortal.Core.Billing;

namespace TenantPortal.Web.Components.Tenant.Billing;

/// <summary>How a credit note's state reads on the page and in its PDF.</summary>
public static class CreditNoteText
{
    /// <summary>How the credit reached the customer.</summary>
    public static string Settlement(CreditNoteSettlement settlement) => settlement switch
    {
        CreditNoteSettlement.AmountDueReduced => "Taken off the amount due",
        CreditNoteSettlement.CustomerBalance => "Credited to your balance for the next invoice",
        CreditNoteSettlement.RefundDue => "Refunded out of band by the operator",
        _ => "Being issued",
    };

    /// <summary>The status word.</summary>
    public static string Status(CreditNoteStatus status) => status == CreditNoteStatus.Issued ? "Issued" : "Pending";
}
