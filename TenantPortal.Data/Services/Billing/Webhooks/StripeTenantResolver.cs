using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Billing.Webhooks;

/// <summary>
/// Finds the tenant a Stripe object belongs to: by the portal's tenant id when the object carries it, else by the
/// linked Stripe customer or subscription. Found, the scope works for that tenant from then on, so the save guard
/// refuses any change to another tenant's rows while the event is applied.
/// </summary>
internal sealed class StripeTenantResolver(ITenantContext tenantContext)
{
    public async Task<TenantResolution> ResolveAsync(PortalDbContext db, TenantReferences references, CancellationToken cancellationToken)
    {
        Tenant? tenant;
        using (tenantContext.BeginCrossTenantScope("stripe webhook: find the tenant a Stripe event names by metadata or by its Stripe ids"))
        {
            if (references.TenantId is { } id)
            {
                tenant = await db.Tenants.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
                if (tenant is null)
                    return new TenantResolution(null, $"The event names tenant {id}, which does not exist.", MayAppearLater: false);
            }
            else
            {
                tenant = references.CustomerId is { } customer
                    ? await db.Tenants.SingleOrDefaultAsync(t => t.StripeCustomerId == customer, cancellationToken)
                    : null;
                if (tenant is null && references.SubscriptionId is { } subscription)
                    tenant = await db.Tenants.SingleOrDefaultAsync(t => t.StripeSubscriptionId == subscription, cancellationToken);
                if (tenant is null)
                    return new TenantResolution(null,
                        $"No tenant is linked to Stripe customer {references.CustomerId ?? "(none)"} or subscription {references.SubscriptionId ?? "(none)"} yet; " +
                        "a checkout links them, and the event is retried.", MayAppearLater: true);
            }
        }
        if (references.CustomerId is { } named && tenant.StripeCustomerId is { } own && own != named)
            return new TenantResolution(null, $"Stripe customer {named} is not the customer of tenant {tenant.Slug} ({own}).", MayAppearLater: false);

        tenantContext.SetTenant(tenant.Id);
        return new TenantResolution(tenant, null, MayAppearLater: false);
    }
}
