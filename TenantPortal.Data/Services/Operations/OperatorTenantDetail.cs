using TenantPortal.Core.Audit;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Invitations;
using TenantPortal.Data.Services.Members;

namespace TenantPortal.Data.Services.Operations;

/// <summary>Everything an operator sees of one tenant on its detail page.</summary>
/// <param name="Id">Tenant id.</param>
/// <param name="Name">Display name.</param>
/// <param name="Slug">URL name.</param>
/// <param name="Tier">Current plan.</param>
/// <param name="Status">Lifecycle state.</param>
/// <param name="BillingCycle">Monthly or annual.</param>
/// <param name="BillingEmail">Where invoices go, when set.</param>
/// <param name="CreatedAt">Creation time.</param>
/// <param name="TrialEndsAt">End of the trial, when on one (or once on one).</param>
/// <param name="SubscriptionStartedAt">Start of the paid subscription, when subscribed.</param>
/// <param name="CurrentPeriodEndsAt">End of the current paid period.</param>
/// <param name="SuspendedAt">When suspended.</param>
/// <param name="PastDueSince">When it became past due.</param>
/// <param name="BilledThroughStripe">True when a Stripe subscription bills the tenant (plan changes happen there).</param>
/// <param name="Members">Members with emails and roles.</param>
/// <param name="Invitations">Pending invitations, newest first.</param>
/// <param name="Usage">This period's usage per metric with plan limits and overrides.</param>
/// <param name="Invoices">Invoices, newest period first.</param>
/// <param name="Audit">The most recent audit entries, newest first.</param>
public sealed record OperatorTenantDetail(
    Guid Id, string Name, string Slug, SubscriptionTier Tier, TenantStatus Status, BillingCycle BillingCycle, string? BillingEmail,
    DateTimeOffset CreatedAt, DateTimeOffset? TrialEndsAt, DateTimeOffset? SubscriptionStartedAt, DateTimeOffset? CurrentPeriodEndsAt,
    DateTimeOffset? SuspendedAt, DateTimeOffset? PastDueSince, bool BilledThroughStripe,
    IReadOnlyList<MemberRow> Members, IReadOnlyList<InvitationRow> Invitations, IReadOnlyList<OperatorUsageRow> Usage,
    IReadOnlyList<OperatorInvoiceRow> Invoices, IReadOnlyList<AuditEntry> Audit)
{
    /// <summary>True when the tenant's Owners must sign in with two-factor authentication.</summary>
    public bool RequireOwnerTwoFactor { get; init; }

    /// <summary>Who suspended the tenant (on a Cancelled tenant: an operator's suspension that still holds), or null.</summary>
    public SuspensionReason? SuspensionReason { get; init; }

    /// <summary>True when an operator may lift a suspension: the tenant is suspended, or cancelled under an operator's suspension.</summary>
    public bool CanReactivate => Status == TenantStatus.Suspended || SuspensionReason == Core.Tenants.SuspensionReason.Operator;

    /// <summary>True when the trial can be extended: the tenant is on its trial, or suspended because it ended.</summary>
    public bool CanExtendTrial => Status == TenantStatus.Trial
        || (Status == TenantStatus.Suspended && SuspensionReason == Core.Tenants.SuspensionReason.TrialExpired);
}
