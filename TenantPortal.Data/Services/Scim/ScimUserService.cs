using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Common;
using TenantPortal.Core.Entitlements;
using TenantPortal.Core.Members;
using TenantPortal.Core.Scim;
using TenantPortal.Data.Identity;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Entitlements;
using TenantPortal.Data.Services.Members;
using TenantPortal.Data.Services.Tenants;

namespace TenantPortal.Data.Services.Scim;

/// <summary>
/// SCIM <c>Users</c> of the token's tenant: its memberships, by the account's email (<c>userName</c>). Every call needs
/// the <c>scim</c> entitlement; every change is audited with the token as actor. Creating finds or creates the account
/// (no password, email confirmed: the person signs in by SSO or sets a password with "Forgot password") and adds the
/// membership through <see cref="MemberProvisioner"/> (seat quota, never Owner); a member who joined otherwise is adopted.
/// <c>active=false</c> suspends the membership; DELETE removes it (the account stays). The last active Owner can't be
/// suspended or removed.
/// </summary>
public sealed class ScimUserService(IDbContextFactory<PortalDbContext> contexts, AuditWriter audit, EntitlementService entitlements,
    MemberProvisioner provisioner, TimeProvider time)
{
    /// <summary>Most resources on a page (<c>maxResults</c> of the service provider config).</summary>
    public const int MaxResults = 200;

    /// <summary>The users matching <paramref name="filter"/>, by joining order, from <paramref name="startIndex"/> (1-based).</summary>
    public async Task<Result<ScimPage<ScimUserView>>> ListAsync(ScimTokenIdentity token, ScimFilter? filter, int startIndex, int count,
        CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        if (await RefusedAsync(db, token, cancellationToken) is { } refused)
            return refused;
        var rows = Rows(db);
        if (filter is { Attribute: ScimFilter.UserName })
        {
            var normalized = filter.Value.Trim().ToUpperInvariant();
            rows = rows.Where(r => r.User.NormalizedEmail == normalized);
        }
        else if (filter is { Attribute: ScimFilter.ExternalId })
            rows = rows.Where(r => r.Member.ExternalId == filter.Value);
        var total = await rows.CountAsync(cancellationToken);
        var page = count <= 0 ? [] : await rows.OrderBy(r => r.Member.JoinedAt).ThenBy(r => r.Member.Id)
            .Skip(startIndex - 1).Take(Math.Min(count, MaxResults)).ToListAsync(cancellationToken);
        var views = await ViewsAsync(db, page, cancellationToken);
        return new ScimPage<ScimUserView>(total, startIndex, views);
    }

    /// <summary>One user by its SCIM id (the membership's); another tenant's id is not found.</summary>
    public async Task<Result<ScimUserView>> GetAsync(ScimTokenIdentity token, Guid id, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        if (await RefusedAsync(db, token, cancellationToken) is { } refused)
            return refused;
        return await ViewAsync(db, id, cancellationToken);
    }

    /// <summary>
    /// Creates the user: the account is found by email or created; the membership is added (role: what the directory's
    /// groups map to, none yet: Member) or, when the person is already a member no directory manages, adopted. A member
    /// the directory already manages is a conflict (<c>uniqueness</c>).
    /// </summary>
    public async Task<Result<ScimUserView>> CreateAsync(ScimTokenIdentity token, ScimUserInput input, string? ipAddress, CancellationToken cancellationToken)
    {
        var valid = Validate(input);
        if (!valid.IsSuccess)
            return valid.Error;
        var email = valid.Value;
        await using var db = contexts.CreateDbContext();
        if (await RefusedAsync(db, token, cancellationToken) is { } refused)
            return refused;
        var actor = token.ToActor(ipAddress);
        var now = time.GetUtcNow();
        var (user, createdNow) = await FindOrCreateUserAsync(db, email, input, now, cancellationToken);
        var existing = await db.Members.SingleOrDefaultAsync(m => m.UserId == user.Id, cancellationToken);
        if (existing is not null)
        {
            if (existing.IsDirectoryLinked)
                return new Error(ScimErrorCodes.Uniqueness, $"A user with userName {email} already exists (id {existing.Id}).", "userName");
            existing.LinkToDirectory(Clean(input.ExternalId), Clean(input.GivenName), Clean(input.FamilyName), now);
            audit.Record(db, token.TenantId, actor, AuditActions.MemberDirectoryUpdated, $"member:{user.Email}", "adopted by the directory");
            if (input.Active == false && await SuspendAsync(db, existing, user.Email!, actor, now, cancellationToken) is { } cannot)
                return cannot;
            await db.SaveChangesAsync(cancellationToken);
            return await ViewAsync(db, existing.Id, cancellationToken);
        }
        var added = await provisioner.AddAsync(db, token.TenantId, user.Id, user.Email!, ScimRoleRules.DefaultRole, actor, "provisioned by SCIM",
            m =>
            {
                m.LinkToDirectory(Clean(input.ExternalId), Clean(input.GivenName), Clean(input.FamilyName), now);
                if (input.Active == false)
                    m.Suspend(now);
            }, cancellationToken);
        if (!added.IsSuccess)
        {
            // Refused (no seat, a race): an account made for this request alone goes too, so a refusal changes nothing.
            if (createdNow)
            {
                using (db.BeginCrossTenantScope("removing the account a refused SCIM create made a moment ago: it has no membership anywhere"))
                {
                    if (!await db.Members.AnyAsync(m => m.UserId == user.Id, cancellationToken))
                    {
                        db.Users.Remove(user);
                        await db.SaveChangesAsync(cancellationToken);
                    }
                }
            }
            return added.Error;
        }
        if (added.Value.IsSuspended)
        {
            audit.Record(db, token.TenantId, actor, AuditActions.MemberSuspended, $"member:{user.Email}", "created inactive by the directory");
            await db.SaveChangesAsync(cancellationToken);
        }
        return await ViewAsync(db, added.Value.Id, cancellationToken);
    }

    /// <summary>
    /// Replaces the user's directory attributes (PUT, or a PATCH applied to the current state): external id, name and
    /// <c>active</c> (null: unchanged). The userName can't change (<c>mutability</c>): the account may belong to other workspaces.
    /// </summary>
    public async Task<Result<ScimUserView>> ReplaceAsync(ScimTokenIdentity token, Guid id, ScimUserInput input, string? ipAddress, CancellationToken cancellationToken)
    {
        var valid = Validate(input);
        if (!valid.IsSuccess)
            return valid.Error;
        await using var db = contexts.CreateDbContext();
        if (await RefusedAsync(db, token, cancellationToken) is { } refused)
            return refused;
        var member = await db.Members.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (member is null)
            return NotFound(id);
        var email = await db.Users.Where(u => u.Id == member.UserId).Select(u => u.Email).SingleAsync(cancellationToken) ?? "";
        if (!string.Equals(email, valid.Value, StringComparison.OrdinalIgnoreCase))
            return new Error(ScimErrorCodes.Mutability, $"The userName of a user can't change here ({email}): the account may belong to other workspaces. Delete the user and create it again.", "userName");
        var actor = token.ToActor(ipAddress);
        var now = time.GetUtcNow();
        var (externalId, given, family) = (Clean(input.ExternalId), Clean(input.GivenName), Clean(input.FamilyName));
        if (!member.IsDirectoryLinked || member.ExternalId != externalId || member.GivenName != given || member.FamilyName != family)
        {
            var adopted = !member.IsDirectoryLinked;
            member.LinkToDirectory(externalId, given, family, now);
            audit.Record(db, member.TenantId, actor, AuditActions.MemberDirectoryUpdated, $"member:{email}", adopted ? "adopted by the directory" : "profile updated");
        }
        if (input.Active == false && await SuspendAsync(db, member, email, actor, now, cancellationToken) is { } cannot)
            return cannot;
        if (input.Active == true && member.Reactivate(now))
            audit.Record(db, member.TenantId, actor, AuditActions.MemberReactivated, $"member:{email}", $"reactivated by the directory as {member.Role}");
        await db.SaveChangesAsync(cancellationToken);
        return await ViewAsync(db, id, cancellationToken);
    }

    /// <summary>Removes the membership (the account stays: it may belong to other workspaces); not the last active Owner.</summary>
    public async Task<Result> DeleteAsync(ScimTokenIdentity token, Guid id, string? ipAddress, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        if (await RefusedAsync(db, token, cancellationToken) is { } refused)
            return refused;
        var member = await db.Members.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (member is null)
            return NotFound(id);
        if (await IsLastActiveOwnerAsync(db, member, cancellationToken))
            return LastOwner("removed");
        var email = await db.Users.Where(u => u.Id == member.UserId).Select(u => u.Email).SingleAsync(cancellationToken) ?? member.UserId;
        await db.ScimGroupMembers.Where(gm => gm.MemberId == id).ExecuteDeleteAsync(cancellationToken);
        audit.Record(db, member.TenantId, token.ToActor(ipAddress), AuditActions.MemberRemoved, $"member:{email}", $"was {member.Role}, removed by the directory");
        db.Members.Remove(member);
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success();
    }

    // Refused unless the token's tenant is the context's and its plan includes SCIM.
    internal static async Task<Error?> RefusedAsync(PortalDbContext db, ScimTokenIdentity token, EntitlementService entitlements, CancellationToken cancellationToken)
    {
        if (db.Tenant.TenantId != token.TenantId)
            return Error.NotFound("No workspace is selected.");
        if (!await db.Tenants.AnyAsync(t => t.Id == token.TenantId, cancellationToken))
            return Error.NotFound("This workspace was not found.");
        return (await entitlements.RequireAsync(token.TenantId, EntitlementFeatures.Scim, ScimTokenService.Feature, cancellationToken)).Error;
    }

    private Task<Error?> RefusedAsync(PortalDbContext db, ScimTokenIdentity token, CancellationToken cancellationToken) =>
        RefusedAsync(db, token, entitlements, cancellationToken);

    private async Task<Error?> SuspendAsync(PortalDbContext db, TenantMember member, string email, Actor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (member.IsSuspended)
            return null;
        if (await IsLastActiveOwnerAsync(db, member, cancellationToken))
            return LastOwner("suspended");
        member.Suspend(now);
        audit.Record(db, member.TenantId, actor, AuditActions.MemberSuspended, $"member:{email}", $"deactivated by the directory (was {member.Role})");
        return null;
    }

    private static async Task<bool> IsLastActiveOwnerAsync(PortalDbContext db, TenantMember member, CancellationToken cancellationToken) =>
        member is { Role: TenantRole.Owner, IsSuspended: false }
        && !await db.Members.AnyAsync(m => m.Role == TenantRole.Owner && m.SuspendedAt == null && m.Id != member.Id, cancellationToken);

    private static Error LastOwner(string what) =>
        new(ScimErrorCodes.Mutability, $"This user is the workspace's last active Owner and can't be {what} by the directory. Transfer ownership in the portal first.", "active");

    internal static Error NotFound(Guid id) => Error.NotFound($"No user {id} in this workspace.");

    private static Result<string> Validate(ScimUserInput input)
    {
        var email = TenantInput.Email(input.UserName, "userName", "userName must be the user's email address, e.g. ann@example.com.");
        if (!email.IsSuccess)
            return new Error(ScimErrorCodes.InvalidValue, email.Error.Message, "userName");
        foreach (var (value, field, max) in new[] { (input.ExternalId, "externalId", FieldLengths.ExternalId),
                     (input.GivenName, "name.givenName", TenantMember.DirectoryNameLength), (input.FamilyName, "name.familyName", TenantMember.DirectoryNameLength) })
        {
            if (value is null)
                continue;
            if (!PlainText.IsClean(value))
                return new Error(ScimErrorCodes.InvalidValue, $"{field} must be plain text.", field);
            if (value.Trim().Length > max)
                return new Error(ScimErrorCodes.InvalidValue, $"{field} can be at most {max} characters long.", field);
        }
        return email.Value;
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    // The account with this email, or a new one: no password (SSO, or "Forgot password" sets one), email confirmed
    // because the customer's directory vouches for it. Two creates racing: the loser reads the winner's.
    private static async Task<(PortalUser User, bool CreatedNow)> FindOrCreateUserAsync(PortalDbContext db, string email, ScimUserInput input, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var normalized = email.ToUpperInvariant();
        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
        if (user is not null)
            return (user, false);
        var name = string.Join(' ', new[] { Clean(input.GivenName), Clean(input.FamilyName) }.Where(n => n is not null));
        user = new PortalUser
        {
            UserName = email, NormalizedUserName = normalized, Email = email, NormalizedEmail = normalized, EmailConfirmed = true,
            SecurityStamp = Guid.NewGuid().ToString("N"), ConcurrencyStamp = Guid.NewGuid().ToString(), CreatedAt = now,
            DisplayName = name.Length == 0 ? null : name[..Math.Min(name.Length, FieldLengths.Name)], LockoutEnabled = true,
        };
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return (user, true);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            db.Entry(user).State = EntityState.Detached;
            return (await db.Users.SingleAsync(u => u.NormalizedEmail == normalized, cancellationToken), false);
        }
    }

    private sealed class Row
    {
        public required TenantMember Member { get; init; }
        public required PortalUser User { get; init; }
    }

    private static IQueryable<Row> Rows(PortalDbContext db) =>
        db.Members.Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new Row { Member = m, User = u });

    private static async Task<Result<ScimUserView>> ViewAsync(PortalDbContext db, Guid id, CancellationToken cancellationToken)
    {
        var row = await Rows(db).AsNoTracking().Where(r => r.Member.Id == id).SingleOrDefaultAsync(cancellationToken);
        if (row is null)
            return NotFound(id);
        return (await ViewsAsync(db, [row], cancellationToken)).Single();
    }

    private static async Task<IReadOnlyList<ScimUserView>> ViewsAsync(PortalDbContext db, IReadOnlyList<Row> rows, CancellationToken cancellationToken)
    {
        var ids = rows.Select(r => r.Member.Id).ToList();
        var groups = (await db.ScimGroupMembers.AsNoTracking().Where(gm => ids.Contains(gm.MemberId))
                .Join(db.ScimGroups, gm => gm.GroupId, g => g.Id, (gm, g) => new { gm.MemberId, g.Id, g.DisplayName })
                .ToListAsync(cancellationToken))
            .ToLookup(x => x.MemberId, x => new ScimGroupRef(x.Id, x.DisplayName));
        return rows.Select(r => new ScimUserView(r.Member.Id, r.User.Email ?? "", r.Member.ExternalId, r.Member.GivenName, r.Member.FamilyName,
            r.User.DisplayName, !r.Member.IsSuspended, r.Member.Role, groups[r.Member.Id].OrderBy(g => g.DisplayName, StringComparer.OrdinalIgnoreCase).ToList(),
            r.Member.JoinedAt,
            // Never before the membership began (a create links the directory a moment before the membership is made).
            r.Member.DirectoryUpdatedAt is { } updated && updated > r.Member.JoinedAt ? updated : r.Member.JoinedAt)).ToList();
    }
}
