using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Tests.Builders;

/// <summary>Links a test tenant to Stripe through the tenant's own transitions, as a completed Checkout does.</summary>
public static class TenantStripeExtensions
{
    /// <summary>
    /// The tenant's Stripe customer becomes <paramref name="customerId"/> (when given and it has none) and, when given, its live subscription
    /// <paramref name="subscriptionId"/> (started when the tenant's subscription started, or at its creation).
    /// </summary>
    public static Tenant LinkStripe(this Tenant tenant, string? customerId, string? subscriptionId = null)
    {
        tenant.LinkStripeCustomer(customerId);
        if (subscriptionId is null)
            return tenant;
        var started = tenant.SubscriptionStartedAt ?? tenant.CreatedAt;
        var linked = tenant.ApplyProviderSubscription(
            new ProviderSubscription(subscriptionId, ProviderSubscriptionStatus.Active) { CustomerId = customerId, StartedAt = started }, started, started);
        if (!linked.IsSuccess)
            throw new InvalidOperationException($"The subscription could not be linked: {linked.Error.Message}");
        return tenant;
    }
}
