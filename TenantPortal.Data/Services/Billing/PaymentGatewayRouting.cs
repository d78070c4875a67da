using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Billing;

/// <summary>
/// Which gateway carries out a tenant's billing when Stripe is configured. A tenant that has no Stripe subscription (one
/// that subscribed on the local ledger before <c>Stripe:SecretKey</c> was set) keeps its subscription on the ledger: its
/// plan changes and cancellation apply there, and Stripe, which has no subscription of it, never bills it. It moves to
/// Stripe through Checkout once its ledger subscription has ended (README, "Billing"). An invoice goes to Stripe only
/// when the Stripe subscription billed the whole period's base price: one with base time billed on the ledger (the
/// month the tenant moved included) stays on the ledger, whole.
/// </summary>
public static class PaymentGatewayRouting
{
    private static readonly LedgerGateway Ledger = new();

    /// <summary>The gateway for the tenant's subscription (plan changes, cancellation, reactivation, scheduled changes).</summary>
    public static IPaymentGateway For(this IPaymentGateway configured, Tenant tenant) =>
        configured.IsExternal && tenant.StripeSubscriptionId is null ? Ledger : configured;

    /// <summary>The gateway that issues <paramref name="invoice"/> of <paramref name="tenant"/>.</summary>
    public static IPaymentGateway ForInvoice(this IPaymentGateway configured, Tenant tenant, Invoice invoice) =>
        configured.For(tenant) is { IsExternal: true } external && !HasLedgerBase(invoice) ? external : Ledger;

    /// <summary>True when the tenant's plan changes go through Stripe (Checkout for a new subscription): false on the ledger and for a ledger subscription.</summary>
    public static bool UsesStripe(this IPaymentGateway configured, Tenant tenant) => configured.IsExternal && !tenant.HasLedgerSubscription;

    // Base price (or an annual term's credit) charged on the invoice itself: time the ledger billed. In periods Stripe
    // billed, those lines are there at zero ("billed by your subscription in Stripe").
    private static bool HasLedgerBase(Invoice invoice) =>
        invoice.Lines.Any(l => l.Metric is null && (l.Kind is InvoiceLineKind.Base or InvoiceLineKind.Adjustment) && l.AmountCents != 0);
}
