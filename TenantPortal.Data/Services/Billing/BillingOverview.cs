using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Billing;

/// <summary>What the Billing tab shows about the current tenant's subscription.</summary>
/// <param name="Tier">The plan.</param>
/// <param name="Cycle">Monthly or annual.</param>
/// <param name="Status">Lifecycle state.</param>
/// <param name="PriceCents">The plan's price per cycle.</param>
/// <param name="HasPaidSubscription">True when a paid tier is subscribed (not a trial, not Free, not cancelled).</param>
/// <param name="TrialEndsAt">End of the trial, when on one.</param>
/// <param name="TrialDaysLeft">Whole days left of the trial (rounded up), when on one.</param>
/// <param name="SubscriptionStartedAt">When the paid subscription started.</param>
/// <param name="CurrentPeriodEndsAt">Renewal date (or the date a cancellation takes effect).</param>
/// <param name="CancelAtPeriodEnd">True when the subscription ends at <paramref name="CurrentPeriodEndsAt"/>.</param>
/// <param name="PendingTier">A plan scheduled for the period end.</param>
/// <param name="PendingCycle">Its cycle.</param>
/// <param name="PendingChangeAt">When it takes effect.</param>
/// <param name="PastDueSince">Start of dunning.</param>
/// <param name="SuspendedAt">When the tenant was suspended.</param>
/// <param name="SuspendedOn">When a PastDue tenant will be suspended if still unpaid.</param>
/// <param name="UsesStripe">
/// True when billing goes through Stripe (Checkout, Customer Portal, hosted invoices); false on the ledger, and for a
/// subscription started on the ledger before Stripe was configured, until it ends.
/// </param>
/// <param name="ViewerRole">The viewer's role (only an Owner manages the subscription).</param>
/// <param name="Upcoming">The invoice of the running period so far.</param>
public sealed record BillingOverview(
    SubscriptionTier Tier,
    BillingCycle Cycle,
    TenantStatus Status,
    long PriceCents,
    bool HasPaidSubscription,
    DateTimeOffset? TrialEndsAt,
    int? TrialDaysLeft,
    DateTimeOffset? SubscriptionStartedAt,
    DateTimeOffset? CurrentPeriodEndsAt,
    bool CancelAtPeriodEnd,
    SubscriptionTier? PendingTier,
    BillingCycle? PendingCycle,
    DateTimeOffset? PendingChangeAt,
    DateTimeOffset? PastDueSince,
    DateTimeOffset? SuspendedAt,
    DateTimeOffset? SuspendedOn,
    bool UsesStripe,
    TenantRole ViewerRole,
    InvoicePreview Upcoming)
{
    /// <summary>True when the viewer may subscribe, change plan, cancel and reactivate.</summary>
    public bool CanManage => ViewerRole == TenantRole.Owner;
}
