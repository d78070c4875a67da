using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Common;
using TenantPortal.Core.Invitations;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Members;

namespace TenantPortal.Data.Services.Invitations;

/// <summary>
/// The invitee's side: look an invitation up by its token and accept it. The invitee is not a member yet, so the
/// token lookup reads across tenants (by the token's hash only); joining then happens inside the invitation's tenant.
/// </summary>
public sealed class InvitationAcceptanceService(
    IDbContextFactory<PortalDbContext> contexts, ITenantContext tenantContext, AuditWriter audit, TimeProvider time)
{
    /// <summary>What the invitation offers, or why it can't be used (invalid, expired, revoked, used).</summary>
    public async Task<Result<InvitationPreview>> PreviewAsync(string? token, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var found = await FindUsableAsync(db, token, cancellationToken);
        if (!found.IsSuccess)
            return found.Error;
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == found.Value.TenantId, cancellationToken);
        return new InvitationPreview(tenant.Name, tenant.Slug, found.Value.Email, found.Value.Role, found.Value.ExpiresAt);
    }

    /// <summary>
    /// Accepts the invitation for the signed-in user, whose email must be the invited one; a seat must be free.
    /// Claims the invitation atomically, so a token is used once even when two requests race.
    /// </summary>
    public async Task<Result<TenantAccess>> AcceptAsync(string? token, Actor user, string? userEmail, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var found = await FindUsableAsync(db, token, cancellationToken);
        if (!found.IsSuccess)
            return found.Error;
        var invitation = found.Value;
        if (!string.Equals(invitation.Email, userEmail?.Trim(), StringComparison.OrdinalIgnoreCase))
            return new Error(ErrorCodes.EmailMismatch,
                $"This invitation is for {invitation.Email}, but you are signed in as {userEmail}. Log out and sign in (or register) with {invitation.Email}.");

        // The invitee enters the tenant only once they are a member: until then its rows are reached by its id.
        using var joining = tenantContext.BeginCrossTenantScope("accepting an invitation");
        if (await db.Members.AnyAsync(m => m.TenantId == invitation.TenantId && m.UserId == user.UserId, cancellationToken))
            return new Error(ErrorCodes.AlreadyMember, "You are already a member of this workspace.");

        var now = time.GetUtcNow();
        // Under the tenant's seat lock, as invitations are created: two acceptances can't both take the last seat.
        var joined = await db.InTransactionAsync(async (transaction, ct) =>
        {
            await SeatQuota.LockAsync(db, invitation.TenantId, ct);
            var seats = await SeatQuota.CheckRoomForOneMoreAsync(db, invitation.TenantId, ct);
            if (!seats.IsSuccess)
                return (Result)seats.Error;
            var claimed = await db.Invitations
                .Where(i => i.Id == invitation.Id && i.Status == InvitationStatus.Pending)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(i => i.Status, InvitationStatus.Accepted)
                    .SetProperty(i => i.ClosedAt, now)
                    .SetProperty(i => i.AcceptedByUserId, user.UserId), ct);
            if (claimed == 0)
                return (Result)new Error(ErrorCodes.InvitationUsed, "This invitation has just been used.");
            db.Members.Add(new TenantMember
            {
                TenantId = invitation.TenantId, UserId = user.UserId, Role = invitation.Role, JoinedAt = now, InvitedByUserId = invitation.InvitedByUserId,
            });
            audit.Record(db, invitation.TenantId, user, AuditActions.InvitationAccepted, $"member:{invitation.Email}", $"joined as {invitation.Role}");
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return Result.Success();
        }, cancellationToken);
        if (!joined.IsSuccess)
            return joined.Error;

        var tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == invitation.TenantId, cancellationToken);
        tenantContext.SetTenant(tenant.Id);
        return new TenantAccess(tenant.Id, tenant.Slug, tenant.Name, tenant.Tier, tenant.Status, invitation.Role);
    }

    // Cross-tenant by design: the invitee has no tenant yet; the lookup is by the hash of a 256-bit token.
    private async Task<Result<Invitation>> FindUsableAsync(PortalDbContext db, string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 200)
            return new Error(ErrorCodes.InvitationInvalid, "This invitation link is not valid. Ask for a new invitation.");
        var hash = SecretHasher.Sha256Hex(token);
        Invitation? invitation;
        using (db.BeginCrossTenantScope("an invitee is not a member yet: the invitation by its token hash"))
            invitation = await db.Invitations.AsNoTracking().SingleOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);
        if (invitation is null)
            return new Error(ErrorCodes.InvitationInvalid, "This invitation link is not valid (it may have been replaced by a newer one). Ask for a new invitation.");
        return invitation.Status switch
        {
            InvitationStatus.Accepted => new Error(ErrorCodes.InvitationUsed, "This invitation has already been used."),
            InvitationStatus.Revoked => new Error(ErrorCodes.InvitationRevoked, "This invitation was withdrawn. Ask for a new invitation."),
            _ when invitation.Status == InvitationStatus.Expired || time.GetUtcNow() >= invitation.ExpiresAt =>
                new Error(ErrorCodes.InvitationExpired, $"This invitation expired on {invitation.ExpiresAt:d MMMM yyyy}. Ask for a new invitation."),
            _ => invitation,
        };
    }
}
