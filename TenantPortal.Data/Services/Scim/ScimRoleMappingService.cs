using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;
using TenantPortal.Core.Entitlements;
using TenantPortal.Core.Members;
using TenantPortal.Core.Scim;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Entitlements;

namespace TenantPortal.Data.Services.Scim;

/// <summary>
/// The admin's group-to-role mapping (ManageIdentity: Admin): directory group name → Admin, Member or Viewer (never
/// Owner). A directory-linked member's role is the highest mapped among their groups, else Member; every change of the
/// mapping recomputes them at once (audited by the admin). Setting one needs the <c>scim</c> entitlement.
/// </summary>
public sealed class ScimRoleMappingService(IDbContextFactory<PortalDbContext> contexts, AuditWriter audit, EntitlementService entitlements, TimeProvider time)
{
    /// <summary>The mappings by group name (Admin).</summary>
    public async Task<Result<IReadOnlyList<ScimRoleMappingRow>>> ListAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageIdentity, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var mappings = await db.ScimGroupRoleMappings.AsNoTracking().OrderBy(m => m.GroupName).ToListAsync(cancellationToken);
        var groups = (await db.ScimGroups.Select(g => g.NormalizedName).ToListAsync(cancellationToken)).ToHashSet();
        return mappings.Select(m => new ScimRoleMappingRow(m.Id, m.GroupName, m.Role, groups.Contains(m.GroupName))).ToList();
    }

    /// <summary>Maps the group (by name, case-insensitive) to the role, replacing its previous role (Admin).</summary>
    public async Task<Result<ScimRoleMappingRow>> SetAsync(Actor actor, string? groupName, TenantRole role, CancellationToken cancellationToken)
    {
        var name = groupName is null ? "" : ScimGroup.Normalize(groupName);
        if (name.Length == 0 || name.Length > ScimGroup.DisplayNameLength || !PlainText.IsClean(name))
            return Error.Invalid("groupName", $"Enter the directory group's name (at most {ScimGroup.DisplayNameLength} characters).");
        if (!ScimRoleRules.MappableRoles.Contains(role))
            return Error.Invalid("role", "A group maps to Admin, Member or Viewer; ownership is transferred by the owner.");
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageIdentity, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var entitled = await entitlements.RequireAsync(gate.Value.TenantId, EntitlementFeatures.Scim, ScimTokenService.Feature, cancellationToken);
        if (!entitled.IsSuccess)
            return entitled.Error;
        var now = time.GetUtcNow();
        var mapping = await db.ScimGroupRoleMappings.SingleOrDefaultAsync(m => m.GroupName == name, cancellationToken);
        if (mapping is null)
        {
            mapping = new ScimGroupRoleMapping { TenantId = gate.Value.TenantId, GroupName = name, Role = role, CreatedAt = now };
            db.ScimGroupRoleMappings.Add(mapping);
        }
        else if (mapping.Role == role)
            return new ScimRoleMappingRow(mapping.Id, name, role, await db.ScimGroups.AnyAsync(g => g.NormalizedName == name, cancellationToken));
        else
            mapping.Role = role;
        audit.Record(db, gate.Value.TenantId, actor, AuditActions.ScimRoleMappingChanged, $"scim_group:{name}", $"maps to {role}");
        await SaveAndRecomputeAsync(db, actor, now, cancellationToken);
        return new ScimRoleMappingRow(mapping.Id, name, role, await db.ScimGroups.AnyAsync(g => g.NormalizedName == name, cancellationToken));
    }

    /// <summary>Removes a mapping (Admin); the group's members fall back to their other groups' roles, or Member.</summary>
    public async Task<Result> RemoveAsync(Actor actor, Guid mappingId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageIdentity, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var mapping = await db.ScimGroupRoleMappings.SingleOrDefaultAsync(m => m.Id == mappingId, cancellationToken);
        if (mapping is null)
            return Error.NotFound("That group mapping was not found.");
        db.ScimGroupRoleMappings.Remove(mapping);
        audit.Record(db, gate.Value.TenantId, actor, AuditActions.ScimRoleMappingChanged, $"scim_group:{mapping.GroupName}", $"no longer maps to {mapping.Role}");
        await SaveAndRecomputeAsync(db, actor, time.GetUtcNow(), cancellationToken);
        return Result.Success();
    }

    private async Task SaveAndRecomputeAsync(PortalDbContext db, Actor actor, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.InTransactionAsync(async (transaction, ct) =>
        {
            await db.SaveChangesAsync(ct);
            await ScimRoleSync.ApplyAsync(db, audit, actor, null, now, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return true;
        }, cancellationToken);
}
