namespace TenantPortal.Core.Billing.Credits;

/// <summary>Where a credit grant came from (the API writes it lower-case: <c>purchase</c>, <c>promotional</c>, <c>operator</c>).</summary>
public enum CreditSource
{
    /// <summary>Bought by an owner (Stripe Checkout, or at once on the ledger).</summary>
    Purchase = 0,
    /// <summary>Given by an operator as a promotion.</summary>
    Promotional = 1,
    /// <summary>Given by an operator (goodwill, a correction).</summary>
    Operator = 2,
}
