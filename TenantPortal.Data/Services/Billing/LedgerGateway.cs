using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Billing;

/// <summary>
/// The local ledger (no <c>Stripe:SecretKey</c>): plan changes apply at once, invoices stay in the portal's own
/// database as Open until an operator marks them paid. Nothing leaves the process.
/// </summary>
public sealed class LedgerGateway : IPaymentGateway
{
    /// <inheritdoc />
    public bool IsExternal => false;

    /// <inheritdoc />
    public Task<Result<string?>> StartSubscriptionAsync(Tenant tenant, SubscriptionTier tier, BillingCycle cycle, Uri returnUrl, CancellationToken cancellationToken) =>
        Task.FromResult(Result<string?>.Ok(null));

    /// <inheritdoc />
    public Task<Result> ChangePlanAsync(Tenant tenant, SubscriptionTier tier, BillingCycle cycle, bool prorate, CancellationToken cancellationToken) =>
        Task.FromResult(Result.Success());

    /// <inheritdoc />
    public Task<Result> CancelAsync(Tenant tenant, bool atPeriodEnd, CancellationToken cancellationToken) => Task.FromResult(Result.Success());

    /// <inheritdoc />
    public Task<Result> ReactivateAsync(Tenant tenant, CancellationToken cancellationToken) => Task.FromResult(Result.Success());

    /// <inheritdoc />
    public Task<Result<string>> PaymentMethodsUrlAsync(Tenant tenant, Uri returnUrl, CancellationToken cancellationToken) =>
        Task.FromResult(Result<string>.Failure(new Error(ErrorCodes.NotAvailableInLedger,
            "Payment methods are managed with Stripe; this portal bills on its local ledger, where invoices are settled with the operator.")));

    /// <inheritdoc />
    public Task<Result<IssuedInvoice>> IssueInvoiceAsync(Tenant tenant, Invoice invoice, CancellationToken cancellationToken) =>
        Task.FromResult(Result<IssuedInvoice>.Ok(new IssuedInvoice(invoice.TotalCents <= 0 ? InvoiceStatus.Paid : InvoiceStatus.Open)));

    /// <inheritdoc />
    public Task<Result<IssuedCreditNote>> IssueCreditNoteAsync(Tenant tenant, Invoice invoice, CreditNote creditNote, CancellationToken cancellationToken) =>
        Task.FromResult(Result<IssuedCreditNote>.Ok(new IssuedCreditNote(
            invoice.Status == InvoiceStatus.Paid ? CreditNoteSettlement.RefundDue : CreditNoteSettlement.AmountDueReduced)));

    /// <inheritdoc />
    public Task<Result<string?>> StartCreditPurchaseAsync(Tenant tenant, long amountCents, Uri returnUrl, CancellationToken cancellationToken) =>
        Task.FromResult(Result<string?>.Ok(null));
}
