namespace TenantPortal.Data.Services.Billing.Webhooks;

/// <summary>
/// The metadata keys the portal puts on Stripe objects (customer, checkout session, subscription, invoice) so that
/// webhook events can be traced back to the tenant, plan and local invoice.
/// </summary>
public static class StripeMetadataKeys
{
    /// <summary>The tenant's id (a GUID).</summary>
    public const string TenantId = "tenant_id";

    /// <summary>The tier bought, e.g. <c>professional</c> (the lookup key of the price is preferred).</summary>
    public const string Tier = "tier";

    /// <summary>The billing cycle bought: <c>monthly</c> or <c>annual</c>.</summary>
    public const string Cycle = "cycle";

    /// <summary>The id (a GUID) of the local invoice a Stripe invoice mirrors.</summary>
    public const string InvoiceId = "tenantportal_invoice_id";
}
