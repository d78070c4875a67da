using TenantPortal.Core.Billing;

namespace TenantPortal.Data.Services.Members;

/// <summary>
/// A tenant's seats: the plan's users quota (operator overrides included) against the members and the pending,
/// unexpired invitations, each of which holds a seat until it is accepted, revoked or expires.
/// </summary>
/// <param name="Members">Current members.</param>
/// <param name="PendingInvitations">Invitations neither accepted, revoked nor expired.</param>
/// <param name="Limit">The seat quota; <see cref="PlanCatalog.Unlimited"/> for none.</param>
public sealed record SeatAvailability(int Members, int PendingInvitations, decimal Limit)
{
    /// <summary>True when the plan has no seat quota.</summary>
    public bool IsUnlimited => Limit == PlanCatalog.Unlimited;

    /// <summary>Seats still free for an invitation (never below zero); null when unlimited.</summary>
    public int? Left => IsUnlimited ? null : (int)Math.Max(0, Limit - Members - PendingInvitations);
}
