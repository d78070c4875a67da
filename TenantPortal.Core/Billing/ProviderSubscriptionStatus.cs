namespace TenantPortal.Core.Billing;

/// <summary>The state of a subscription at the payment provider (Stripe's statuses, grouped by what they mean for a tenant).</summary>
public enum ProviderSubscriptionStatus
{
    /// <summary>Paid and running (Stripe <c>active</c>, or a completed Checkout).</summary>
    Active = 0,
    /// <summary>In a trial of the provider's (Stripe <c>trialing</c>): nothing is charged yet.</summary>
    Trialing = 1,
    /// <summary>A payment failed and is being retried (Stripe <c>past_due</c> or <c>unpaid</c>).</summary>
    PastDue = 2,
    /// <summary>Ended, which is final for the subscription (Stripe <c>canceled</c>, <c>incomplete_expired</c>, or deleted).</summary>
    Ended = 3,
}
