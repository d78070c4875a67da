using System.Text;
using Microsoft.EntityFrameworkCore;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Data.Identity;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Sessions;

namespace TenantPortal.Web.Security;

/// <summary>An operator account as listed.</summary>
/// <param name="UserId">Identity user id.</param>
/// <param name="Email">Email.</param>
/// <param name="TwoFactorEnabled">True when an authenticator is set up.</param>
/// <param name="HasPassword">False until an invited operator has chosen a password.</param>
public sealed record OperatorAccount(string UserId, string Email, bool TwoFactorEnabled, bool HasPassword);

/// <summary>
/// Operators invite other operators and take the role back, and lock and unlock anyone's account. An invitee with an
/// account gets the Operator role; a new person gets an account without a password and an email with a link to choose
/// one. Only operators may do any of it; the last operator, and yourself, can't be removed; you can't lock yourself.
/// Removing an operator or locking an account ends every session of that user at once. Each change goes into the fleet
/// audit log.
/// </summary>
public sealed class OperatorAccountService(
    UserManager<PortalUser> users,
    IEmailSender<PortalUser> mail,
    PortalDbContext db,
    ITenantContext tenantContext,
    AuditWriter audit,
    UserSessionService sessions,
    TimeProvider time)
{
    // Identity locks until a date; an operator's lock has no end.
    private static readonly DateTimeOffset LockedByOperator = DateTimeOffset.MaxValue;
    /// <summary>Every operator, by email.</summary>
    public async Task<Result<IReadOnlyList<OperatorAccount>>> ListAsync(Actor actor)
    {
        if (!await IsOperatorAsync(actor.UserId))
            return Error.Forbidden("Only operators can see the operators.");
        var operators = await users.GetUsersInRoleAsync(PortalRoles.Operator);
        return operators.OrderBy(u => u.Email, StringComparer.OrdinalIgnoreCase)
            .Select(u => new OperatorAccount(u.Id, u.Email ?? "", u.TwoFactorEnabled, u.PasswordHash is not null)).ToList();
    }

    /// <summary>Makes <paramref name="email"/> an operator; <paramref name="resetPasswordPage"/> is the absolute address of the set-password page.</summary>
    public async Task<Result> InviteAsync(Actor actor, string? email, Uri resetPasswordPage)
    {
        if (!await IsOperatorAsync(actor.UserId))
            return Error.Forbidden("Only operators can invite operators.");
        var clean = PlainText.Check(email, "email", "The email address");
        if (!clean.IsSuccess)
            return clean.Error;
        email = email?.Trim();
        if (string.IsNullOrEmpty(email) || !new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(email))
            return Error.Invalid("email", "Enter the email address of the person to invite.");

        var user = await users.FindByEmailAsync(email);
        if (user is not null && await users.IsInRoleAsync(user, PortalRoles.Operator))
            return Error.Conflict($"{email} is already an operator.");
        var created = user is null;
        if (user is null)
        {
            user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email, CreatedAt = time.GetUtcNow() };
            var result = await users.CreateAsync(user);
            if (!result.Succeeded)
                return Error.Invalid("email", string.Join(" ", result.Errors.Select(e => e.Description)));
        }
        var granted = await users.AddToRoleAsync(user, PortalRoles.Operator);
        if (!granted.Succeeded)
            return Error.Conflict(string.Join(" ", granted.Errors.Select(e => e.Description)));
        if (created)
        {
            var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(user)));
            var link = QueryHelpers.AddQueryString(resetPasswordPage.AbsoluteUri, "code", code);
            await mail.SendPasswordResetLinkAsync(user, email, HtmlEncoder.Default.Encode(link));
        }
        await RecordAsync(actor, AuditActions.OperatorInvited, email, created ? "new account; a link to choose a password was emailed" : "existing account");
        return Result.Success();
    }

    /// <summary>Takes the Operator role from another operator (never yourself, never the last one).</summary>
    public async Task<Result> RemoveAsync(Actor actor, string userId)
    {
        if (!await IsOperatorAsync(actor.UserId))
            return Error.Forbidden("Only operators can remove operators.");
        if (userId == actor.UserId)
            return Error.Conflict("You can't remove yourself; ask another operator.");
        var user = await users.FindByIdAsync(userId);
        if (user is null || !await users.IsInRoleAsync(user, PortalRoles.Operator))
            return Error.NotFound("That operator was not found.");
        if ((await users.GetUsersInRoleAsync(PortalRoles.Operator)).Count <= 1)
            return Error.Conflict("The last operator can't be removed.");
        await users.RemoveFromRoleAsync(user, PortalRoles.Operator);
        // Their sessions (and open circuits) end now; the new stamp refuses anything issued under the old one.
        await users.UpdateSecurityStampAsync(user);
        await sessions.EndAllAsync(user.Id, null, "Operator role removed", CancellationToken.None);
        await RecordAsync(actor, AuditActions.OperatorRemoved, user.Email ?? userId, "Operator role removed");
        return Result.Success();
    }

    /// <summary>
    /// Locks <paramref name="userId"/>'s account until an operator unlocks it: every session of theirs ends at once
    /// (open pages stop at their next click) and signing in is refused, the right password included.
    /// </summary>
    public async Task<Result> LockAsync(Actor actor, string userId, string? reason, CancellationToken cancellationToken)
    {
        if (!await IsOperatorAsync(actor.UserId))
            return Error.Forbidden("Only operators can lock accounts.");
        if (string.IsNullOrWhiteSpace(reason))
            return Error.Invalid("reason", "Give a reason; it goes into the audit log.");
        if (userId == actor.UserId)
            return Error.Conflict("You can't lock your own account.");
        var user = await users.FindByIdAsync(userId);
        if (user is null)
            return Error.NotFound("That account was not found.");
        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, LockedByOperator);
        await users.UpdateSecurityStampAsync(user);
        await sessions.EndAllAsync(user.Id, null, "locked by an operator", cancellationToken);
        await RecordAsync(actor, AuditActions.OperatorAccountLocked, user.Email ?? userId, reason.Trim());
        return Result.Success();
    }

    /// <summary>Unlocks <paramref name="userId"/>'s account (also a lockout after failed sign-ins).</summary>
    public async Task<Result> UnlockAsync(Actor actor, string userId, string? reason, CancellationToken cancellationToken)
    {
        if (!await IsOperatorAsync(actor.UserId))
            return Error.Forbidden("Only operators can unlock accounts.");
        if (string.IsNullOrWhiteSpace(reason))
            return Error.Invalid("reason", "Give a reason; it goes into the audit log.");
        var user = await users.FindByIdAsync(userId);
        if (user is null)
            return Error.NotFound("That account was not found.");
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        await RecordAsync(actor, AuditActions.OperatorAccountUnlocked, user.Email ?? userId, reason.Trim());
        return Result.Success();
    }

    /// <summary>Which of <paramref name="userIds"/> can't sign in now (locked by an operator or after failed attempts).</summary>
    public async Task<Result<IReadOnlySet<string>>> LockedAsync(Actor actor, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        if (!await IsOperatorAsync(actor.UserId))
            return Error.Forbidden("Only operators can see account locks.");
        var now = time.GetUtcNow();
        var ends = await db.Users.Where(u => userIds.Contains(u.Id) && u.LockoutEnd != null)
            .Select(u => new { u.Id, u.LockoutEnd }).ToListAsync(cancellationToken);
        return Result.Success<IReadOnlySet<string>>(ends.Where(u => u.LockoutEnd > now).Select(u => u.Id).ToHashSet());
    }

    private async Task<bool> IsOperatorAsync(string userId) =>
        await users.FindByIdAsync(userId) is { } user && await users.IsInRoleAsync(user, PortalRoles.Operator);

    private async Task RecordAsync(Actor actor, string action, string target, string details)
    {
        using var scope = tenantContext.BeginCrossTenantScope("fleet-level audit entry of an operator change");
        audit.Record(db, null, actor, action, $"user:{target}", details);
        await db.SaveChangesAsync();
    }
}
