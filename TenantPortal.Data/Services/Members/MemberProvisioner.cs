using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Data.Services.Audit;

namespace TenantPortal.Data.Services.Members;

/// <summary>
/// Adds a member without an invitation: a directory (SCIM), an identity provider (SSO, just in time) or a verified
/// domain (auto-join) brings them. The one place such a membership is made: under the tenant's seat lock, counting
/// members and the seats pending invitations hold, never as Owner, audited as <see cref="AuditActions.MemberAdded"/>
/// in the same transaction.
/// </summary>
public sealed class MemberProvisioner(AuditWriter audit, TimeProvider time)
{
    /// <summary>
    /// Makes <paramref name="userId"/> a member of <paramref name="tenantId"/> with <paramref name="role"/>. The caller
    /// reads inside the tenant or in a cross-tenant scope. Refused when the user is already a member, when no seat is
    /// free (<see cref="ErrorCodes.SeatLimitReached"/>) or for the Owner role.
    /// </summary>
    /// <param name="email">The member's email, for the audit target.</param>
    /// <param name="actor">Who brings them: the user themselves (SSO, domain) or the SCIM token.</param>
    /// <param name="how">In plain words for the audit, e.g. "provisioned by SCIM".</param>
    public Task<Result<TenantMember>> AddAsync(
        PortalDbContext db, Guid tenantId, string userId, string email, TenantRole role, Actor actor, string how, CancellationToken cancellationToken) =>
        AddAsync(db, tenantId, userId, email, role, actor, how, null, cancellationToken);

    /// <summary>
    /// Adds the member as the overload without <paramref name="prepare"/> does; <paramref name="prepare"/> completes the
    /// new membership (e.g. links it to the directory that brought it) before it is saved, in the same transaction.
    /// </summary>
    public async Task<Result<TenantMember>> AddAsync(
        PortalDbContext db, Guid tenantId, string userId, string email, TenantRole role, Actor actor, string how, Action<TenantMember>? prepare,
        CancellationToken cancellationToken)
    {
        if (role == TenantRole.Owner)
            return Error.Invalid("role", "Nobody joins as Owner: ownership is transferred by the owner.");
        return await db.InTransactionAsync(async (transaction, ct) =>
        {
            await SeatQuota.LockAsync(db, tenantId, ct);
            if (await db.Members.AnyAsync(m => m.TenantId == tenantId && m.UserId == userId, ct))
                return (Result<TenantMember>)new Error(ErrorCodes.AlreadyMember, $"{email} is already a member of this workspace.");
            var now = time.GetUtcNow();
            var seats = await SeatQuota.CheckRoomForInvitationAsync(db, tenantId, now, ct);
            if (!seats.IsSuccess)
                return seats.Error;
            var member = new TenantMember { TenantId = tenantId, UserId = userId, Role = role, JoinedAt = now };
            prepare?.Invoke(member);
            db.Members.Add(member);
            audit.Record(db, tenantId, actor, AuditActions.MemberAdded, $"member:{email}", $"joined as {role}, {how}");
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return member;
        }, cancellationToken);
    }
}
