using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Common;
using TenantPortal.Core.Scim;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Entitlements;

namespace TenantPortal.Data.Services.Scim;

/// <summary>
/// SCIM <c>Groups</c> of the token's tenant. A group's name is unique in the workspace (case-insensitive); its members
/// are SCIM user ids of this workspace. After each change the roles of the members concerned follow the admin's
/// group-to-role mapping (<see cref="ScimRoleSync"/>). Every call needs the <c>scim</c> entitlement; every change is
/// audited with the token as actor.
/// </summary>
public sealed class ScimGroupService(IDbContextFactory<PortalDbContext> contexts, AuditWriter audit, EntitlementService entitlements, TimeProvider time)
{
    /// <summary>The groups matching <paramref name="filter"/>, by name, from <paramref name="startIndex"/> (1-based).</summary>
    public async Task<Result<ScimPage<ScimGroupView>>> ListAsync(ScimTokenIdentity token, ScimFilter? filter, int startIndex, int count, bool withMembers,
        CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        if (await ScimUserService.RefusedAsync(db, token, entitlements, cancellationToken) is { } refused)
            return refused;
        var groups = db.ScimGroups.AsNoTracking();
        if (filter is { Attribute: ScimFilter.DisplayName })
        {
            var normalized = ScimGroup.Normalize(filter.Value);
            groups = groups.Where(g => g.NormalizedName == normalized);
        }
        else if (filter is { Attribute: ScimFilter.ExternalId })
            groups = groups.Where(g => g.ExternalId == filter.Value);
        var total = await groups.CountAsync(cancellationToken);
        var page = count <= 0 ? [] : await groups.OrderBy(g => g.NormalizedName).Skip(startIndex - 1).Take(Math.Min(count, ScimUserService.MaxResults))
            .ToListAsync(cancellationToken);
        return new ScimPage<ScimGroupView>(total, startIndex, await ViewsAsync(db, page, withMembers, cancellationToken));
    }

    /// <summary>One group by its SCIM id; another tenant's id is not found.</summary>
    public async Task<Result<ScimGroupView>> GetAsync(ScimTokenIdentity token, Guid id, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        if (await ScimUserService.RefusedAsync(db, token, entitlements, cancellationToken) is { } refused)
            return refused;
        return await ViewAsync(db, id, cancellationToken);
    }

    /// <summary>Creates a group with its members; a name already used is a conflict (<c>uniqueness</c>).</summary>
    public async Task<Result<ScimGroupView>> CreateAsync(ScimTokenIdentity token, ScimGroupInput input, string? ipAddress, CancellationToken cancellationToken)
    {
        var name = ValidateName(input.DisplayName);
        if (!name.IsSuccess)
            return name.Error;
        if (ValidateExternalId(input.ExternalId) is { } badId)
            return badId;
        await using var db = contexts.CreateDbContext();
        if (await ScimUserService.RefusedAsync(db, token, entitlements, cancellationToken) is { } refused)
            return refused;
        if (await NameTakenAsync(db, name.Value, null, cancellationToken) is { } taken)
            return taken;
        var members = await CheckMembersAsync(db, input.Members, cancellationToken);
        if (!members.IsSuccess)
            return members.Error;
        var now = time.GetUtcNow();
        var group = new ScimGroup
        {
            TenantId = token.TenantId, DisplayName = name.Value, NormalizedName = ScimGroup.Normalize(name.Value), ExternalId = Clean(input.ExternalId),
            CreatedAt = now, UpdatedAt = now,
        };
        db.ScimGroups.Add(group);
        db.ScimGroupMembers.AddRange(members.Value.Select(m => new ScimGroupMember { TenantId = token.TenantId, GroupId = group.Id, MemberId = m }));
        var actor = token.ToActor(ipAddress);
        audit.Record(db, token.TenantId, actor, AuditActions.ScimGroupChanged, $"scim_group:{group.DisplayName}", $"created with {members.Value.Count} member(s)");
        await SaveWithRolesAsync(db, actor, members.Value, now, cancellationToken);
        return await ViewAsync(db, group.Id, cancellationToken);
    }

    /// <summary>Replaces a group's name, external id and members (PUT).</summary>
    public Task<Result<ScimGroupView>> ReplaceAsync(ScimTokenIdentity token, Guid id, ScimGroupInput input, string? ipAddress, CancellationToken cancellationToken) =>
        PatchAsync(token, id, new ScimGroupPatch(input.DisplayName ?? "", input.ExternalId, true, false, input.Members, [], []), ipAddress, cancellationToken);

    /// <summary>Applies a PATCH: rename, replace or remove all members, remove and add members.</summary>
    public async Task<Result<ScimGroupView>> PatchAsync(ScimTokenIdentity token, Guid id, ScimGroupPatch patch, string? ipAddress, CancellationToken cancellationToken)
    {
        if (patch.SetExternalId && ValidateExternalId(patch.ExternalId) is { } badId)
            return badId;
        string? newName = null;
        if (patch.RenameTo is not null)
        {
            var name = ValidateName(patch.RenameTo);
            if (!name.IsSuccess)
                return name.Error;
            newName = name.Value;
        }
        await using var db = contexts.CreateDbContext();
        if (await ScimUserService.RefusedAsync(db, token, entitlements, cancellationToken) is { } refused)
            return refused;
        var group = await db.ScimGroups.SingleOrDefaultAsync(g => g.Id == id, cancellationToken);
        if (group is null)
            return NotFound(id);
        if (newName is not null && await NameTakenAsync(db, newName, id, cancellationToken) is { } taken)
            return taken;
        var adding = await CheckMembersAsync(db, [.. patch.Add, .. patch.ReplaceMembers ?? []], cancellationToken);
        if (!adding.IsSuccess)
            return adding.Error;

        var current = await db.ScimGroupMembers.Where(gm => gm.GroupId == id).ToListAsync(cancellationToken);
        var after = current.Select(gm => gm.MemberId).ToHashSet();
        if (patch.RemoveAll)
            after.Clear();
        if (patch.ReplaceMembers is not null)
            after = patch.ReplaceMembers.ToHashSet();
        after.ExceptWith(patch.Remove);
        after.UnionWith(patch.Add);
        var removed = current.Where(gm => !after.Contains(gm.MemberId)).ToList();
        var added = after.Where(m => current.All(gm => gm.MemberId != m)).ToList();
        db.ScimGroupMembers.RemoveRange(removed);
        db.ScimGroupMembers.AddRange(added.Select(m => new ScimGroupMember { TenantId = group.TenantId, GroupId = id, MemberId = m }));

        var changes = new List<string>();
        var renamed = newName is not null && newName != group.DisplayName;
        if (renamed)
        {
            changes.Add($"renamed from {group.DisplayName}");
            group.DisplayName = newName!;
            group.NormalizedName = ScimGroup.Normalize(newName!);
        }
        if (patch.SetExternalId && Clean(patch.ExternalId) != group.ExternalId)
        {
            group.ExternalId = Clean(patch.ExternalId);
            changes.Add("external id set");
        }
        if (added.Count > 0)
            changes.Add($"{added.Count} member(s) added");
        if (removed.Count > 0)
            changes.Add($"{removed.Count} member(s) removed");
        if (changes.Count == 0)
            return await ViewAsync(db, id, cancellationToken);
        var now = time.GetUtcNow();
        group.UpdatedAt = now;
        var actor = token.ToActor(ipAddress);
        audit.Record(db, group.TenantId, actor, AuditActions.ScimGroupChanged, $"scim_group:{group.DisplayName}", string.Join(", ", changes));
        // A rename can change every member's mapped role; otherwise only the members added or removed.
        var concerned = renamed ? after.Concat(removed.Select(r => r.MemberId)).ToList() : added.Concat(removed.Select(r => r.MemberId)).ToList();
        await SaveWithRolesAsync(db, actor, concerned, now, cancellationToken);
        return await ViewAsync(db, id, cancellationToken);
    }

    /// <summary>Deletes a group; its members' roles follow the mapping without it.</summary>
    public async Task<Result> DeleteAsync(ScimTokenIdentity token, Guid id, string? ipAddress, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        if (await ScimUserService.RefusedAsync(db, token, entitlements, cancellationToken) is { } refused)
            return refused;
        var group = await db.ScimGroups.SingleOrDefaultAsync(g => g.Id == id, cancellationToken);
        if (group is null)
            return NotFound(id);
        var members = await db.ScimGroupMembers.Where(gm => gm.GroupId == id).ToListAsync(cancellationToken);
        db.ScimGroupMembers.RemoveRange(members);
        db.ScimGroups.Remove(group);
        var actor = token.ToActor(ipAddress);
        audit.Record(db, group.TenantId, actor, AuditActions.ScimGroupChanged, $"scim_group:{group.DisplayName}", $"deleted ({members.Count} member(s))");
        await SaveWithRolesAsync(db, actor, members.Select(m => m.MemberId).ToList(), time.GetUtcNow(), cancellationToken);
        return Result.Success();
    }

    // The group changes first, then the roles recomputed from the saved memberships, in one transaction.
    private async Task SaveWithRolesAsync(PortalDbContext db, Actor actor, IReadOnlyCollection<Guid> memberIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.InTransactionAsync(async (transaction, ct) =>
        {
            await db.SaveChangesAsync(ct);
            if (memberIds.Count > 0)
            {
                await ScimRoleSync.ApplyAsync(db, audit, actor, memberIds, now, ct);
                await db.SaveChangesAsync(ct);
            }
            await transaction.CommitAsync(ct);
            return true;
        }, cancellationToken);
    }

    private static async Task<Error?> NameTakenAsync(PortalDbContext db, string name, Guid? except, CancellationToken cancellationToken)
    {
        var normalized = ScimGroup.Normalize(name);
        var other = await db.ScimGroups.Where(g => g.NormalizedName == normalized && g.Id != except).Select(g => (Guid?)g.Id).FirstOrDefaultAsync(cancellationToken);
        return other is null ? null : new Error(ScimErrorCodes.Uniqueness, $"A group named {name} already exists (id {other}).", "displayName");
    }

    // Every id must be a member of this workspace; another tenant's is as unknown as a made-up one.
    private static async Task<Result<IReadOnlyList<Guid>>> CheckMembersAsync(PortalDbContext db, IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        var distinct = ids.Distinct().ToList();
        if (distinct.Count == 0)
            return Result<IReadOnlyList<Guid>>.Ok([]);
        var known = await db.Members.Where(m => distinct.Contains(m.Id)).Select(m => m.Id).ToListAsync(cancellationToken);
        var unknown = distinct.Except(known).ToList();
        return unknown.Count == 0
            ? distinct
            : new Error(ScimErrorCodes.InvalidValue, $"No user {unknown[0]} in this workspace: members must be ids of this workspace's users.", "members");
    }

    private static Result<string> ValidateName(string? displayName)
    {
        var name = displayName?.Trim() ?? "";
        if (name.Length == 0)
            return new Error(ScimErrorCodes.InvalidValue, "displayName is required.", "displayName");
        if (name.Length > ScimGroup.DisplayNameLength || !PlainText.IsClean(name))
            return new Error(ScimErrorCodes.InvalidValue, $"displayName must be plain text of at most {ScimGroup.DisplayNameLength} characters.", "displayName");
        return name;
    }

    private static Error? ValidateExternalId(string? externalId) =>
        externalId is not null && (externalId.Trim().Length > FieldLengths.ExternalId || !PlainText.IsClean(externalId))
            ? new Error(ScimErrorCodes.InvalidValue, $"externalId must be plain text of at most {FieldLengths.ExternalId} characters.", "externalId")
            : null;

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static Error NotFound(Guid id) => Error.NotFound($"No group {id} in this workspace.");

    private static async Task<Result<ScimGroupView>> ViewAsync(PortalDbContext db, Guid id, CancellationToken cancellationToken)
    {
        var group = await db.ScimGroups.AsNoTracking().SingleOrDefaultAsync(g => g.Id == id, cancellationToken);
        if (group is null)
            return NotFound(id);
        return (await ViewsAsync(db, [group], true, cancellationToken)).Single();
    }

    private static async Task<IReadOnlyList<ScimGroupView>> ViewsAsync(PortalDbContext db, IReadOnlyList<ScimGroup> groups, bool withMembers, CancellationToken cancellationToken)
    {
        var ids = groups.Select(g => g.Id).ToList();
        var members = !withMembers ? Enumerable.Empty<(Guid GroupId, ScimMemberRef Member)>().ToLookup(x => x.GroupId, x => x.Member) : (await db.ScimGroupMembers.AsNoTracking()
                .Where(gm => ids.Contains(gm.GroupId))
                .Join(db.Members, gm => gm.MemberId, m => m.Id, (gm, m) => new { gm.GroupId, m.Id, m.UserId })
                .Join(db.Users, x => x.UserId, u => u.Id, (x, u) => new { x.GroupId, x.Id, u.Email })
                .ToListAsync(cancellationToken))
            .ToLookup(x => x.GroupId, x => new ScimMemberRef(x.Id, x.Email ?? ""));
        return groups.Select(g => new ScimGroupView(g.Id, g.DisplayName, g.ExternalId, members[g.Id].OrderBy(m => m.UserName, StringComparer.OrdinalIgnoreCase).ToList(),
            g.CreatedAt, g.UpdatedAt)).ToList();
    }
}
