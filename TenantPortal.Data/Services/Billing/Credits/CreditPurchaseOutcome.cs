namespace TenantPortal.Data.Services.Billing.Credits;

/// <summary>What a purchase did: on the ledger, the grant is made (<paramref name="GrantId"/>); with Stripe, Checkout's address to continue.</summary>
/// <param name="AmountCents">The amount bought.</param>
/// <param name="GrantId">The grant made at once (ledger).</param>
/// <param name="RedirectUrl">Stripe Checkout's address (Stripe): the grant follows the payment, by webhook.</param>
/// <param name="Message">One sentence for the person.</param>
public sealed record CreditPurchaseOutcome(long AmountCents, Guid? GrantId, string? RedirectUrl, string Message);
