using TenantPortal.Core.Common;
using TenantPortal.Core.Members;

namespace TenantPortal.Core.Authorization;

/// <summary>
/// The role rules of PRODUCT.md section 3: the minimum role of each action, and the rules for
/// changing, removing and leaving (never above your own role, an Admin never touches an Owner,
/// the last Owner stays).
/// </summary>
public static class RolePolicy
{
    /// <summary>The minimum role of an action.</summary>
    public static TenantRole MinimumRole(TenantPermission permission) => permission switch
    {
        TenantPermission.ViewOverview or TenantPermission.ViewUsage => TenantRole.Viewer,
        TenantPermission.ViewTeam => TenantRole.Member,
        TenantPermission.InviteMembers or TenantPermission.RemoveMembers or TenantPermission.ChangeRoles
            or TenantPermission.EditSettings or TenantPermission.ManageApiKeys
            or TenantPermission.ViewBilling or TenantPermission.ViewAuditLog or TenantPermission.CorrectUsage
            or TenantPermission.ManageIdentity or TenantPermission.ViewWebhooks or TenantPermission.ManageWebhooks => TenantRole.Admin,
        TenantPermission.ManageSubscription or TenantPermission.DeleteTenant
            or TenantPermission.TransferOwnership or TenantPermission.ManageSecurity => TenantRole.Owner,
        _ => throw new ArgumentOutOfRangeException(nameof(permission), permission, null),
    };

    /// <summary>True when <paramref name="role"/> may perform <paramref name="permission"/>.</summary>
    public static bool Allows(TenantRole role, TenantPermission permission) => role >= MinimumRole(permission);

    /// <summary>Checks that <paramref name="actor"/> may invite someone with <paramref name="role"/>.</summary>
    public static Result CanInvite(TenantRole actor, TenantRole role)
    {
        if (!Allows(actor, TenantPermission.InviteMembers))
            return Error.Forbidden("Only admins and owners can invite people.");
        if (role > actor)
            return new Error(ErrorCodes.RoleEscalation, $"You can't invite someone as {role}: that is above your own role.", "role");
        return Result.Success();
    }

    /// <summary>
    /// Checks that <paramref name="actor"/> may change a member from <paramref name="current"/> to
    /// <paramref name="target"/>; <paramref name="ownerCount"/> is the tenant's number of owners.
    /// </summary>
    public static Result CanChangeRole(TenantRole actor, TenantRole current, TenantRole target, int ownerCount)
    {
        if (!Allows(actor, TenantPermission.ChangeRoles))
            return Error.Forbidden("Only admins and owners can change roles.");
        if (current == TenantRole.Owner && actor != TenantRole.Owner)
            return Error.Forbidden("Only an owner can change an owner's role.");
        if (target > actor)
            return new Error(ErrorCodes.RoleEscalation, $"You can't make someone {target}: that is above your own role.", "role");
        if (current == TenantRole.Owner && target != TenantRole.Owner && ownerCount <= 1)
            return new Error(ErrorCodes.LastOwner, "The last owner can't be demoted. Make someone else an owner first.");
        return Result.Success();
    }

    /// <summary>Checks that <paramref name="actor"/> may remove a member with role <paramref name="member"/>.</summary>
    public static Result CanRemove(TenantRole actor, TenantRole member, int ownerCount)
    {
        if (!Allows(actor, TenantPermission.RemoveMembers))
            return Error.Forbidden("Only admins and owners can remove members.");
        if (member == TenantRole.Owner && actor != TenantRole.Owner)
            return Error.Forbidden("Only an owner can remove an owner.");
        if (member == TenantRole.Owner && ownerCount <= 1)
            return new Error(ErrorCodes.LastOwner, "The last owner can't be removed. Transfer ownership first.");
        return Result.Success();
    }

    /// <summary>Checks that a member with <paramref name="role"/> may leave the tenant.</summary>
    public static Result CanLeave(TenantRole role, int ownerCount) =>
        role == TenantRole.Owner && ownerCount <= 1
            ? new Error(ErrorCodes.LastOwner, "You are the last owner: transfer ownership or delete the tenant instead of leaving.")
            : Result.Success();
}
