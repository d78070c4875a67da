using System.Text;
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

namespace TenantPortal.Web.Security;

/// <summary>An operator account as listed.</summary>
/// <param name="UserId">Identity user id.</param>
/// <param name="Email">Email.</param>
/// <param name="TwoFactorEnabled">True when an authenticator is set up.</param>
/// <param name="HasPassword">False until an invited operator has chosen a password.</param>
public sealed record OperatorAccount(string UserId, string Email, bool TwoFactorEnabled, bool HasPassword);

/// <summary>
/// Operators invite other operators and take the role back. An invitee with an account gets the Operator role; a new
/// person gets an account without a password and an email with a link to choose one. Only operators may do either; the
/// last operator, and yourself, can't be removed. Each change goes into the fleet audit log.
/// </summary>
public sealed class OperatorAccountService(
    UserManager<PortalUser> users,
    IEmailSender<PortalUser> mail,
    PortalDbContext db,
    ITenantContext tenantContext,
    AuditWriter audit,
    TimeProvider time)
{
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
        // Signs them out everywhere at the next cookie validation.
        await users.UpdateSecurityStampAsync(user);
        await RecordAsync(actor, AuditActions.OperatorRemoved, user.Email ?? userId, "Operator role removed");
        return Result.Success();
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
