namespace TenantPortal.Data.Services.Billing.Stripe;

/// <summary>
/// The metadata keys the portal writes on Stripe objects, so that webhooks and people reading the Stripe dashboard can
/// find the tenant, plan and local invoice an object belongs to.
/// </summary>
public static class StripeMetadata
{
    /// <summary>The tenant's id (customers, checkout sessions, subscriptions, invoices).</summary>
    public const string TenantId = "tenant_id";

    /// <summary>The tenant's slug (customers).</summary>
    public const string TenantSlug = "tenant_slug";

    /// <summary>The tier, lower-case as in <see cref="StripeLookupKeys.TierName"/> (checkout sessions, subscriptions, products).</summary>
    public const string Tier = "tier";

    /// <summary>The cycle, <c>monthly</c> or <c>annual</c> (checkout sessions, subscriptions).</summary>
    public const string Cycle = "cycle";

    /// <summary>The local invoice's id (invoices).</summary>
    public const string InvoiceId = "tenantportal_invoice_id";

    /// <summary>The local invoice's number (invoices).</summary>
    public const string InvoiceNumber = "tenantportal_invoice_number";

    /// <summary>The local invoice line's id (invoice items).</summary>
    public const string LineId = "tenantportal_line_id";

    /// <summary>The metric's wire name, e.g. <c>api_calls</c> (invoice items).</summary>
    public const string Metric = "metric";

    /// <summary>The month whose usage the line bills, <c>yyyy-MM</c> (invoice items).</summary>
    public const string UsagePeriod = "usage_period";

    /// <summary>The number of the local credit note a Stripe credit note was made for (a retry finds it by this).</summary>
    public const string CreditNoteNumber = "tenantportal_credit_note_number";
    /// <summary>What a payment-mode Checkout session buys: <see cref="CreditsPurpose"/> for prepaid credits.</summary>
    public const string Purpose = "purpose";

    /// <summary>The <see cref="Purpose"/> of a credit purchase.</summary>
    public const string CreditsPurpose = "credits";

    /// <summary>The amount of credits bought, in cents (checkout sessions of credit purchases).</summary>
    public const string AmountCents = "amount_cents";
}
