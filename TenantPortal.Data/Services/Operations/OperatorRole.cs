using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;

namespace TenantPortal.Data.Services.Operations;

/// <summary>Who holds the Operator role: the check behind every operator-only service.</summary>
internal static class OperatorRole
{
    /// <summary>Whether the actor holds the Operator role.</summary>
    public static Task<bool> IsOperatorAsync(PortalDbContext db, Actor actor, CancellationToken cancellationToken) =>
        (from ur in db.UserRoles
         join r in db.Roles on ur.RoleId equals r.Id
         where ur.UserId == actor.UserId && r.Name == PortalRoles.Operator
         select ur).AnyAsync(cancellationToken);

    /// <summary>The user ids of every operator.</summary>
    public static Task<List<string>> UserIdsAsync(PortalDbContext db, CancellationToken cancellationToken) =>
        (from ur in db.UserRoles
         join r in db.Roles on ur.RoleId equals r.Id
         where r.Name == PortalRoles.Operator
         select ur.UserId).Distinct().ToListAsync(cancellationToken);
}
