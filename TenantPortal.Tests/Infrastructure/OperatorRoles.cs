using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Authorization;
using TenantPortal.Data.Services;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>Gives a test bed's user the Operator role.</summary>
public static class OperatorRoles
{
    /// <summary>Makes the named user (by default "outsider", who belongs to no tenant) an operator; returns them as an actor.</summary>
    public static async Task<Actor> MakeOperatorAsync(this TenancyTestBed bed, string name = "outsider")
    {
        await using var db = bed.Database.CrossTenant();
        var role = await db.Roles.SingleOrDefaultAsync(r => r.Name == PortalRoles.Operator);
        if (role is null)
        {
            role = new IdentityRole(PortalRoles.Operator) { NormalizedName = PortalRoles.Operator.ToUpperInvariant() };
            db.Roles.Add(role);
        }
        var user = bed.Users[name];
        if (!await db.UserRoles.AnyAsync(r => r.UserId == user.Id && r.RoleId == role.Id))
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = role.Id });
        await db.SaveChangesAsync();
        return bed.ActorOf(name);
    }
}
