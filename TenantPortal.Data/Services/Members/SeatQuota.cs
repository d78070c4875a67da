using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Invitations;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Members;

/// <summary>
/// The plan's seat quota: members, and the pending unexpired invitations that hold a seat each until they are accepted,
/// revoked or expire. Checked when an invitation is created or renewed (members + pending) and when one is accepted
/// (members: the accepted invitation held the seat it takes). The checks run inside a transaction that holds
/// <see cref="LockAsync"/>, so two people taking the last seat at once are counted one after the other.
/// </summary>
internal static class SeatQuota
{
    /// <summary>
    /// Serialises the seat checks of one tenant until the transaction ends. A no-op update of the tenant's row takes its
    /// row lock (PostgreSQL, SQL Server) or the database's write lock (SQLite) before anything is counted: a second
    /// transaction waits here, then counts what the first one committed. Run it first in the transaction (on SQLite a
    /// transaction that read before it writes could not take the lock once another wrote).
    /// </summary>
    public static Task LockAsync(PortalDbContext db, Guid tenantId, CancellationToken cancellationToken) =>
        db.Tenants.Where(t => t.Id == tenantId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ConcurrencyStamp, t => t.ConcurrencyStamp), cancellationToken);

    /// <summary>The tenant's seats as they are now (the caller reads inside the tenant, or in a cross-tenant scope).</summary>
    public static async Task<SeatAvailability> CountAsync(PortalDbContext db, Guid tenantId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.AsNoTracking().Include(t => t.QuotaOverrides).SingleAsync(t => t.Id == tenantId, cancellationToken);
        var limit = PlanCatalog.EffectiveLimit(tenant.Tier, UsageMetric.Users, tenant.QuotaOverrides);
        var members = await db.Members.CountAsync(m => m.TenantId == tenantId, cancellationToken);
        var pending = await db.Invitations.CountAsync(i => i.TenantId == tenantId && i.Status == InvitationStatus.Pending && i.ExpiresAt > now, cancellationToken);
        return new SeatAvailability(members, pending, limit);
    }

    /// <summary>Room for one more invitation: members plus pending invitations below the quota (under <see cref="LockAsync"/>).</summary>
    public static async Task<Result> CheckRoomForInvitationAsync(PortalDbContext db, Guid tenantId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var seats = await CountAsync(db, tenantId, now, cancellationToken);
        if (seats.Left is null or > 0)
            return Result.Success();
        var tier = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.Tier).SingleAsync(cancellationToken);
        var held = seats.PendingInvitations == 0
            ? $"All {seats.Limit:0} seats of the {tier} plan are taken."
            : $"All {seats.Limit:0} seats of the {tier} plan are taken or held: {seats.Members} members and {seats.PendingInvitations} pending invitation{(seats.PendingInvitations == 1 ? "" : "s")}.";
        return new Error(ErrorCodes.SeatLimitReached, $"{held} Revoke an invitation, remove a member or upgrade the plan.", "email");
    }

    /// <summary>Room for one more member, on accepting (under <see cref="LockAsync"/>): the invitation held its seat, so only members count.</summary>
    public static async Task<Result> CheckRoomForOneMoreAsync(PortalDbContext db, Guid tenantId, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.AsNoTracking().Include(t => t.QuotaOverrides).SingleAsync(t => t.Id == tenantId, cancellationToken);
        var limit = PlanCatalog.EffectiveLimit(tenant.Tier, UsageMetric.Users, tenant.QuotaOverrides);
        if (limit == PlanCatalog.Unlimited)
            return Result.Success();
        var members = await db.Members.CountAsync(m => m.TenantId == tenantId, cancellationToken);
        return members < limit
            ? Result.Success()
            : new Error(ErrorCodes.SeatLimitReached, $"All {limit:0} seats of the {tenant.Tier} plan are taken. Remove a member or upgrade the plan.");
    }
}
