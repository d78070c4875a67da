using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;
using TenantPortal.Core.Invitations;
using TenantPortal.Core.Members;
using TenantPortal.Core.Notifications;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Members;
using TenantPortal.Data.Services.Tenants;

namespace TenantPortal.Data.Services.Invitations;

/// <summary>
/// Invitations of the current tenant: create, resend, revoke, list. The token (256 random bits) is sent by
/// email and only its SHA-256 hash is stored, so a resend issues a new token and the old link stops working.
/// </summary>
public sealed class InvitationService(IDbContextFactory<PortalDbContext> contexts, InvitationMailer mailer, AuditWriter audit, TimeProvider time)
{
    /// <summary>Pending invitations, newest first (Admin; an API key needs <c>members:read</c>).</summary>
    public async Task<Result<IReadOnlyList<InvitationRow>>> ListPendingAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        // Reading the team is what this is (a key's members:read); who sees pending invitations is whoever may invite.
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewTeam, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        if (!RolePolicy.Allows(gate.Value.Role, TenantPermission.InviteMembers))
            return Error.Forbidden($"Your role ({gate.Value.Role}) does not allow this; it needs {RolePolicy.MinimumRole(TenantPermission.InviteMembers)} or above.");
        var rows = await db.Invitations.AsNoTracking().Where(i => i.Status == InvitationStatus.Pending).ToListAsync(cancellationToken);
        return rows.OrderByDescending(i => i.CreatedAt)
            .Select(i => new InvitationRow(i.Id, i.Email, i.Role, i.CreatedAt, i.ExpiresAt, i.LastSentAt, i.SendCount)).ToList();
    }

    /// <summary>The seats of the current tenant: members and pending invitations against the plan's quota (Admin).</summary>
    public async Task<Result<SeatAvailability>> SeatsAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.InviteMembers, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        return await SeatQuota.CountAsync(db, gate.Value.TenantId, time.GetUtcNow(), cancellationToken);
    }

    /// <summary>Invites someone (Admin; never above your own role; not a member yet; a seat must be free) and emails the link.</summary>
    /// <param name="actor">Who invites.</param>
    /// <param name="request">Email, role and validity.</param>
    /// <param name="acceptUrl">The absolute address of <c>/invitations/accept</c>; the token is added to it.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    public async Task<Result<InvitationRow>> CreateAsync(Actor actor, InviteRequest request, Uri acceptUrl, CancellationToken cancellationToken)
    {
        var validEmail = TenantInput.Email(request.Email, "email", "Enter the email address of the person to invite.");
        if (!validEmail.IsSuccess)
            return validEmail.Error;
        var email = validEmail.Value;
        if (request.ExpiresInDays is < 1 or > InviteRequest.MaxDays)
            return Error.Invalid("expiresInDays", $"An invitation can be valid for 1 to {InviteRequest.MaxDays} days.");
        if (!Enum.IsDefined(request.Role))
            return Error.Invalid("role", "Choose Owner, Admin, Member or Viewer.");

        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.InviteMembers, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var allowed = RolePolicy.CanInvite(gate.Value.Role, request.Role);
        if (!allowed.IsSuccess)
            return allowed.Error;
        var normalized = email.ToUpperInvariant();
        var tenantId = gate.Value.TenantId;

        // Who is a member, who is invited and how many seats are free are read and the invitation saved under the
        // tenant's seat lock, so that two admins inviting at once for the last seat (or the same person) can't both succeed.
        var created = await db.InTransactionAsync(async (transaction, ct) =>
        {
            await SeatQuota.LockAsync(db, tenantId, ct);
            if (await db.Members.Join(db.Users, m => m.UserId, u => u.Id, (m, u) => u.NormalizedEmail).AnyAsync(e => e == normalized, ct))
                return Failed(new Error(ErrorCodes.AlreadyMember, $"{email} is already a member of this workspace.", "email"));
            var now = time.GetUtcNow();
            var pending = await db.Invitations.Where(i => i.Status == InvitationStatus.Pending && i.ExpiresAt > now).Select(i => i.Email).ToListAsync(ct);
            if (pending.Any(p => string.Equals(p, email, StringComparison.OrdinalIgnoreCase)))
                return Failed(new Error(ErrorCodes.AlreadyInvited, $"{email} has a pending invitation already; resend it instead.", "email"));
            var seats = await SeatQuota.CheckRoomForInvitationAsync(db, tenantId, now, ct);
            if (!seats.IsSuccess)
                return Failed(seats.Error);

            var invitation = new Invitation
            {
                TenantId = tenantId,
                Email = email,
                Role = request.Role,
                Status = InvitationStatus.Pending,
                InvitedByUserId = actor.UserId,
            };
            var token = mailer.Issue(invitation);
            // Counted from the sending the mailer stamped, so the invitation lives exactly the days chosen (and a resend keeps that lifetime).
            invitation.ExpiresAt = invitation.CreatedAt.AddDays(request.ExpiresInDays ?? (int)Invitation.DefaultLifetime.TotalDays);
            db.Invitations.Add(invitation);
            audit.Record(db, invitation.TenantId, actor, AuditActions.InvitationCreated, $"invitation:{email}", $"as {request.Role}, expires {invitation.ExpiresAt:yyyy-MM-dd HH:mm} UTC");
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return Done(invitation, token);
        }, cancellationToken);
        if (created.Error is { } refused)
            return refused;
        await mailer.SendAsync(db, created.Invitation!, created.Token!, actor.Display, acceptUrl, cancellationToken);
        return ToRow(created.Invitation!);
    }

    /// <summary>Sends a pending invitation again with a new link (the old one stops working) and a renewed expiry.</summary>
    public async Task<Result<InvitationRow>> ResendAsync(Actor actor, Guid invitationId, Uri acceptUrl, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var found = await FindPendingAsync(db, actor, invitationId, cancellationToken);
        if (!found.IsSuccess)
            return found.Error;
        var invitation = found.Value;
        var now = time.GetUtcNow();

        // An unexpired invitation keeps the seat it holds. An expired one gave its seat back: renewing it takes a seat
        // again, so it is counted (under the seat lock) as a new invitation would be.
        string token;
        if (invitation.ExpiresAt > now)
        {
            token = mailer.Reissue(invitation);
            audit.Record(db, invitation.TenantId, actor, AuditActions.InvitationResent, $"invitation:{invitation.Email}", $"sent {invitation.SendCount} times");
            await db.SaveChangesAsync(cancellationToken);
        }
        else
        {
            // Read again inside the transaction, not from what the lookup tracked.
            db.ChangeTracker.Clear();
            var renewed = await db.InTransactionAsync(async (transaction, ct) =>
            {
                await SeatQuota.LockAsync(db, invitation.TenantId, ct);
                var seats = await SeatQuota.CheckRoomForInvitationAsync(db, invitation.TenantId, now, ct);
                if (!seats.IsSuccess)
                    return Failed(seats.Error);
                var current = await db.Invitations.SingleAsync(i => i.Id == invitationId, ct);
                if (current.Status != InvitationStatus.Pending)
                    return Failed(Error.Conflict($"That invitation is {current.Status.ToString().ToLowerInvariant()}; send a new one instead."));
                var issued = mailer.Reissue(current);
                audit.Record(db, current.TenantId, actor, AuditActions.InvitationResent, $"invitation:{current.Email}", $"sent {current.SendCount} times");
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return Done(current, issued);
            }, cancellationToken);
            if (renewed.Error is { } refused)
                return refused;
            (invitation, token) = (renewed.Invitation!, renewed.Token!);
        }
        await mailer.SendAsync(db, invitation, token, actor.Display, acceptUrl, cancellationToken);
        return ToRow(invitation);
    }

    /// <summary>Withdraws a pending invitation: its link stops working.</summary>
    public async Task<Result> RevokeAsync(Actor actor, Guid invitationId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var found = await FindPendingAsync(db, actor, invitationId, cancellationToken);
        if (!found.IsSuccess)
            return found.Error;
        var invitation = found.Value;
        invitation.Status = InvitationStatus.Revoked;
        invitation.ClosedAt = time.GetUtcNow();
        audit.Record(db, invitation.TenantId, actor, AuditActions.InvitationRevoked, $"invitation:{invitation.Email}");
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success();
    }

    // A pending invitation of the current tenant that the actor may manage: an admin never touches one above their own role.
    private static async Task<Result<Invitation>> FindPendingAsync(PortalDbContext db, Actor actor, Guid invitationId, CancellationToken cancellationToken)
    {
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.InviteMembers, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var invitation = await db.Invitations.SingleOrDefaultAsync(i => i.Id == invitationId, cancellationToken);
        if (invitation is null)
            return Error.NotFound("That invitation was not found.");
        if (invitation.Status != InvitationStatus.Pending)
            return Error.Conflict($"That invitation is {invitation.Status.ToString().ToLowerInvariant()}; send a new one instead.");
        var allowed = RolePolicy.CanInvite(gate.Value.Role, invitation.Role);
        return allowed.IsSuccess ? invitation : allowed.Error;
    }

    private static (Invitation? Invitation, string? Token, Error? Error) Failed(Error error) => (null, null, error);

    private static (Invitation? Invitation, string? Token, Error? Error) Done(Invitation invitation, string token) => (invitation, token, null);

    private static InvitationRow ToRow(Invitation i) => new(i.Id, i.Email, i.Role, i.CreatedAt, i.ExpiresAt, i.LastSentAt, i.SendCount);
}
