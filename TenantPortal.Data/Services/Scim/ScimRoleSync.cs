using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Members;
using TenantPortal.Core.Scim;
using TenantPortal.Data.Services.Audit;

namespace TenantPortal.Data.Services.Scim;

/// <summary>
/// Gives directory-linked members the role their groups map to (<see cref="ScimRoleRules"/>): after a group's members
/// or name change, and after an admin changes a mapping. Members no directory manages keep the role an admin gave them;
/// Owners are never changed. Each change is audited as <see cref="AuditActions.MemberRoleChanged"/> by the actor.
/// </summary>
internal static class ScimRoleSync
{
    /// <summary>Recomputes the roles of <paramref name="memberIds"/> (null: every linked member) in the current tenant; the caller saves.</summary>
    public static async Task ApplyAsync(PortalDbContext db, AuditWriter audit, Actor actor, IReadOnlyCollection<Guid>? memberIds, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var mappings = await db.ScimGroupRoleMappings.AsNoTracking().ToDictionaryAsync(m => m.GroupName, m => m.Role, cancellationToken);
        var members = db.Members.Where(m => m.DirectoryLinkedAt != null && m.Role != TenantRole.Owner);
        if (memberIds is not null)
            members = members.Where(m => memberIds.Contains(m.Id));
        var linked = await members.ToListAsync(cancellationToken);
        if (linked.Count == 0)
            return;
        var ids = linked.Select(m => m.Id).ToList();
        var groupsOf = (await db.ScimGroupMembers.Where(gm => ids.Contains(gm.MemberId))
                .Join(db.ScimGroups, gm => gm.GroupId, g => g.Id, (gm, g) => new { gm.MemberId, g.NormalizedName })
                .ToListAsync(cancellationToken))
            .ToLookup(x => x.MemberId, x => x.NormalizedName);
        var userIds = linked.Select(m => m.UserId).ToList();
        var emails = await db.Users.Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);
        foreach (var member in linked)
        {
            var was = member.Role;
            var role = ScimRoleRules.RoleFor(groupsOf[member.Id], mappings);
            if (member.ApplyDirectoryRole(role, now))
                audit.Record(db, member.TenantId, actor, AuditActions.MemberRoleChanged, $"member:{emails.GetValueOrDefault(member.UserId) ?? member.UserId}",
                    $"{was} → {role}, by the directory's groups");
        }
    }
}
