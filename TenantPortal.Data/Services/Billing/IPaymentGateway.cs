using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Billing;

/// <summary>
/// Where money moves: the local ledger (the embedded default) or Stripe. The gateway only carries out what
/// <see cref="BillingService"/> decided (who may, what it costs, which state follows); it never decides. Every method
/// returns a failure (<see cref="ErrorCodes.PaymentProvider"/>) instead of throwing when the provider refuses or is
/// unreachable. A gateway may set the tenant's Stripe ids (customer, subscription); the caller saves the tenant, a
/// customer created by a call that then failed included (a retry reuses it).
/// </summary>
public interface IPaymentGateway
{
    /// <summary>True for Stripe: plan changes of a tenant without a subscription go through Checkout, state comes back by webhook.</summary>
    bool IsExternal { get; }

    /// <summary>
    /// Starts the first paid subscription. Ledger: nothing to do, returns null (the service applies it at once).
    /// Stripe: ensures the customer, finds the price by lookup key and returns the URL of a Checkout session whose
    /// success and cancel addresses are <paramref name="returnUrl"/> (with <c>?checkout=success|cancelled</c>).
    /// </summary>
    Task<Result<string?>> StartSubscriptionAsync(Tenant tenant, SubscriptionTier tier, BillingCycle cycle, Uri returnUrl, CancellationToken cancellationToken);

    /// <summary>
    /// Moves an existing subscription to another plan or cycle: with proration when <paramref name="prorate"/> (an
    /// upgrade now), without when a scheduled change takes effect at the period end. Ledger: nothing to do.
    /// </summary>
    Task<Result> ChangePlanAsync(Tenant tenant, SubscriptionTier tier, BillingCycle cycle, bool prorate, CancellationToken cancellationToken);

    /// <summary>Cancels the subscription at the period end or at once. Ledger: nothing to do.</summary>
    Task<Result> CancelAsync(Tenant tenant, bool atPeriodEnd, CancellationToken cancellationToken);

    /// <summary>Withdraws a cancellation at the period end. Ledger: nothing to do.</summary>
    Task<Result> ReactivateAsync(Tenant tenant, CancellationToken cancellationToken);

    /// <summary>
    /// The address of the page where the customer manages payment methods (Stripe's Customer Portal, returning to
    /// <paramref name="returnUrl"/>). Ledger: a failure with <see cref="ErrorCodes.NotAvailableInLedger"/>.
    /// </summary>
    Task<Result<string>> PaymentMethodsUrlAsync(Tenant tenant, Uri returnUrl, CancellationToken cancellationToken);

    /// <summary>
    /// Issues a composed invoice. Ledger: nothing to send; it is Open until an operator marks it paid (Paid at once
    /// when nothing is owed). Stripe: the invoice and its overage and adjustment lines (as invoice items) are created
    /// there with idempotency keys derived from the local invoice and line ids, then finalized; the result mirrors it.
    /// Issuing the same invoice again (a retry, even days later) finds the Stripe invoice made for it by its metadata
    /// and completes or returns that one: an invoice is never created twice.
    /// </summary>
    Task<Result<IssuedInvoice>> IssueInvoiceAsync(Tenant tenant, Invoice invoice, CancellationToken cancellationToken);

    /// <summary>
    /// Issues a stored credit note against the issued <paramref name="invoice"/>. Ledger: recorded; an open invoice's amount
    /// due drops (settled as paid when nothing is left to pay), a paid one's credit is refunded out of band by the operator.
    /// Stripe: a Stripe credit note on the Stripe invoice, one custom line per metric, with an idempotency key derived from
    /// the credit note's number (a paid invoice's credit goes to the customer's balance, which Stripe applies to the next
    /// invoice); a retry first finds the Stripe credit note made for it by its metadata, so it is never created twice.
    /// </summary>
    Task<Result<IssuedCreditNote>> IssueCreditNoteAsync(Tenant tenant, Invoice invoice, CreditNote creditNote, CancellationToken cancellationToken);

    /// <summary>
    /// Starts a purchase of <paramref name="amountCents"/> of prepaid credits. Ledger: nothing to do, returns null (the
    /// service grants at once). Stripe: ensures the customer and returns the URL of a Checkout session in payment mode whose
    /// metadata names the tenant and the amount; the <c>checkout.session.completed</c> webhook makes the grant.
    /// </summary>
    Task<Result<string?>> StartCreditPurchaseAsync(Tenant tenant, long amountCents, Uri returnUrl, CancellationToken cancellationToken);
}
