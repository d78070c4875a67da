using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Data.Services.Audit;

namespace TenantPortal.Data.Services.Members;

/// <summary>The team of the current tenant: list, change roles, remove, leave — every rule of the role table enforced here.</summary>
public sealed class MemberService(IDbContextFactory<PortalDbContext> contexts, AuditWriter audit)
{
    /// <summary>The members, owners first (Member and above).</summary>
    public async Task<Result<IReadOnlyList<MemberRow>>> ListAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewTeam, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var rows = await db.Members
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m.UserId, u.Email, u.DisplayName, m.Role, m.JoinedAt, m.SuspendedAt })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new MemberRow(r.UserId, r.Email ?? "", r.DisplayName, r.Role, r.JoinedAt) { SuspendedAt = r.SuspendedAt })
            .OrderByDescending(r => r.Role).ThenBy(r => r.Email, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Changes a member's role (Admin; never above your own; only an Owner touches an Owner; the last Owner stays).</summary>
    public async Task<Result> ChangeRoleAsync(Actor actor, string userId, TenantRole role, CancellationToken cancellationToken) =>
        await ChangeRoleAsync(actor, userId, role, null, cancellationToken);

    /// <summary>
    /// Changes a member's role as <see cref="ChangeRoleAsync(Actor, string, TenantRole, CancellationToken)"/> does, once
    /// <paramref name="precondition"/> accepts the member as they are now (null: no check; its error is returned as is,
    /// nothing changed). Returns the member as they are after the change.
    /// </summary>
    /// <param name="actor">Who changes the role.</param>
    /// <param name="userId">The member's user id.</param>
    /// <param name="role">The new role.</param>
    /// <param name="precondition">A check of the member's current state, e.g. an API caller's If-Match.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    public async Task<Result<MemberRow>> ChangeRoleAsync(Actor actor, string userId, TenantRole role, Func<MemberRow, Error?>? precondition, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(role))
            return Error.Invalid("role", "Choose Owner, Admin, Member or Viewer.");
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ChangeRoles, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var member = await db.Members.SingleOrDefaultAsync(m => m.UserId == userId, cancellationToken);
        if (member is null)
            return Error.NotFound("That person is not a member of this workspace.");
        var user = await db.Users.Where(u => u.Id == userId).Select(u => new { u.Email, u.DisplayName }).SingleOrDefaultAsync(cancellationToken);
        MemberRow RowOf(TenantRole r) => new(userId, user?.Email ?? "", user?.DisplayName, r, member.JoinedAt);
        if (precondition?.Invoke(RowOf(member.Role)) is { } failed)
            return failed;
        if (member.Role == role)
            return RowOf(role);
        var owners = await db.Members.CountAsync(m => m.Role == TenantRole.Owner, cancellationToken);
        var allowed = RolePolicy.CanChangeRole(gate.Value.Role, member.Role, role, owners);
        if (!allowed.IsSuccess)
            return allowed.Error;
        audit.Record(db, member.TenantId, actor, AuditActions.MemberRoleChanged, $"member:{user?.Email ?? userId}", $"{member.Role} → {role}");
        member.Role = role;
        await db.SaveChangesAsync(cancellationToken);
        return RowOf(role);
    }

    /// <summary>Removes a member (Admin; only an Owner removes an Owner; the last Owner stays).</summary>
    public Task<Result> RemoveAsync(Actor actor, string userId, CancellationToken cancellationToken) =>
        RemoveAsync(actor, userId, null, cancellationToken);

    /// <summary>
    /// Removes a member as <see cref="RemoveAsync(Actor, string, CancellationToken)"/> does, once
    /// <paramref name="precondition"/> accepts the member as they are now (null: no check; its error is returned as is,
    /// nothing removed).
    /// </summary>
    /// <param name="actor">Who removes the member.</param>
    /// <param name="userId">The member's user id.</param>
    /// <param name="precondition">A check of the member's current state, e.g. an API caller's If-Match.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    public async Task<Result> RemoveAsync(Actor actor, string userId, Func<MemberRow, Error?>? precondition, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.RemoveMembers, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        // "Yourself" is the gate's member: for an API key that is the key's stand-in, so a key may remove the member who
        // created it (within the role rules), as any admin could.
        if (userId == gate.Value.UserId)
            return Error.Invalid("userId", "To remove yourself, leave the workspace instead.");
        var member = await db.Members.SingleOrDefaultAsync(m => m.UserId == userId, cancellationToken);
        if (member is null)
            return Error.NotFound("That person is not a member of this workspace.");
        var user = await db.Users.Where(u => u.Id == userId).Select(u => new { u.Email, u.DisplayName }).SingleOrDefaultAsync(cancellationToken);
        if (precondition?.Invoke(new MemberRow(userId, user?.Email ?? "", user?.DisplayName, member.Role, member.JoinedAt)) is { } failed)
            return failed;
        var owners = await db.Members.CountAsync(m => m.Role == TenantRole.Owner, cancellationToken);
        var allowed = RolePolicy.CanRemove(gate.Value.Role, member.Role, owners);
        if (!allowed.IsSuccess)
            return allowed;
        var email = user?.Email ?? userId;
        audit.Record(db, member.TenantId, actor, AuditActions.MemberRemoved, $"member:{email}", $"was {member.Role}");
        db.Members.Remove(member);
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success();
    }

    /// <summary>
    /// Whether the actor may leave the current tenant now (the last Owner can't), without leaving: the Settings page
    /// disables "Leave" with the reason. <see cref="LeaveAsync"/> checks again.
    /// </summary>
    public async Task<Result> CheckLeaveAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewOverview, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var owners = await db.Members.CountAsync(m => m.Role == TenantRole.Owner, cancellationToken);
        return RolePolicy.CanLeave(gate.Value.Role, owners);
    }

    /// <summary>The actor leaves the current tenant (any role; the last Owner can't).</summary>
    public async Task<Result> LeaveAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewOverview, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var owners = await db.Members.CountAsync(m => m.Role == TenantRole.Owner, cancellationToken);
        var allowed = RolePolicy.CanLeave(gate.Value.Role, owners);
        if (!allowed.IsSuccess)
            return allowed;
        audit.Record(db, gate.Value.TenantId, actor, AuditActions.MemberLeft, $"member:{actor.Display}", $"was {gate.Value.Role}");
        db.Members.Remove(gate.Value);
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success();
    }
}
