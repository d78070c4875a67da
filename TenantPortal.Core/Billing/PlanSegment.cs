using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Core.Billing;

/// <summary>
/// A stretch of time a tenant spent on one plan and billing cycle: the history the invoice's base lines are computed
/// from (prorated when a plan changed mid-period). Segments of a tenant never overlap; the open one has no end.
/// A trial, or the time after a cancellation, is a segment that is not charged.
/// </summary>
public class PlanSegment : ITenantOwned
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>The plan.</summary>
    public SubscriptionTier Tier { get; set; }

    /// <summary>Monthly or annual.</summary>
    public BillingCycle Cycle { get; set; }

    /// <summary>True when the plan's base price is charged for this time (false for a trial or after cancellation).</summary>
    public bool Charged { get; set; }

    /// <summary>First instant on this plan (UTC).</summary>
    public DateTimeOffset StartsAt { get; set; }

    /// <summary>First instant no longer on this plan; null while it is the current one.</summary>
    public DateTimeOffset? EndsAt { get; set; }
}
