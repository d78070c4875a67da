using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Billing;

/// <summary>
/// What every member of a tenant is told about its billing state (the banners of the tenant area): a trial running out,
/// a failed payment, a suspension. Nothing here needs the Admin role to see.
/// </summary>
/// <param name="Tier">The plan.</param>
/// <param name="Status">Lifecycle state.</param>
/// <param name="TrialEndsAt">End of the trial, when on one (or when a trial was the last state before a suspension).</param>
/// <param name="TrialDaysLeft">Whole days left of a running trial (rounded up), else null.</param>
/// <param name="TrialExpired">True when a trial of a paid tier ended without a subscription.</param>
/// <param name="PastDueSince">Start of dunning, when a payment failed.</param>
/// <param name="SuspendedOn">When a PastDue tenant is suspended if it stays unpaid.</param>
/// <param name="SuspendedAt">When the tenant was suspended.</param>
/// <param name="UnpaidInvoiceNumber">The oldest open invoice, when there is one.</param>
public sealed record BillingStatus(
    SubscriptionTier Tier,
    TenantStatus Status,
    DateTimeOffset? TrialEndsAt,
    int? TrialDaysLeft,
    bool TrialExpired,
    DateTimeOffset? PastDueSince,
    DateTimeOffset? SuspendedOn,
    DateTimeOffset? SuspendedAt,
    string? UnpaidInvoiceNumber)
{
    /// <summary>Who suspended the tenant (an operator's suspension is lifted only by an operator), or null.</summary>
    public SuspensionReason? SuspensionReason { get; init; }
}
