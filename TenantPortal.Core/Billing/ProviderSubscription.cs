using TenantPortal.Core.Tenants;

namespace TenantPortal.Core.Billing;

/// <summary>
/// A subscription as the payment provider (Stripe) reported it at one instant: an event's snapshot, or a completed
/// Checkout. Fields the report does not carry are null and leave the tenant's own as they are.
/// </summary>
/// <param name="Id">The provider's subscription id.</param>
/// <param name="Status">Its state.</param>
public sealed record ProviderSubscription(string Id, ProviderSubscriptionStatus Status)
{
    /// <summary>The provider's customer the subscription belongs to.</summary>
    public string? CustomerId { get; init; }

    /// <summary>The plan, when the report names one (price lookup key or metadata).</summary>
    public SubscriptionTier? Tier { get; init; }

    /// <summary>The plan's cycle, with <see cref="Tier"/>.</summary>
    public BillingCycle? Cycle { get; init; }

    /// <summary>When the subscription started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>The end of the current paid period.</summary>
    public DateTimeOffset? CurrentPeriodEndsAt { get; init; }

    /// <summary>Whether it ends at the period end; null when the report does not say.</summary>
    public bool? CancelAtPeriodEnd { get; init; }

    /// <summary>The end of the provider's trial, for <see cref="ProviderSubscriptionStatus.Trialing"/>.</summary>
    public DateTimeOffset? TrialEndsAt { get; init; }

    /// <summary>When it ended, for <see cref="ProviderSubscriptionStatus.Ended"/>.</summary>
    public DateTimeOffset? EndedAt { get; init; }
}
