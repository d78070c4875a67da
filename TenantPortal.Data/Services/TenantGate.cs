using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;

namespace TenantPortal.Data.Services;

/// <summary>
/// The check every tenant-scoped operation starts with: the actor must be a member of the current tenant
/// (read through the tenant filter) with a role that allows the permission. The role is read from the
/// database on every call, so a removed or demoted member is refused at once.
/// </summary>
internal static class TenantGate
{
    public static async Task<Result<TenantMember>> RequireAsync(PortalDbContext db, Actor actor, TenantPermission permission, CancellationToken cancellationToken)
    {
        if (db.Tenant.TenantId is null)
            return Error.NotFound("No workspace is selected.");
        var member = await db.Members.SingleOrDefaultAsync(m => m.UserId == actor.UserId, cancellationToken);
        if (member is null)
            return Error.NotFound("This workspace was not found among yours.");
        if (!RolePolicy.Allows(member.Role, permission))
            return Error.Forbidden($"Your role ({member.Role}) does not allow this; it needs {RolePolicy.MinimumRole(permission)} or above.");
        return member;
    }
}
