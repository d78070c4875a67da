using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services;

/// <summary>
/// Resolves which tenants a user belongs to and whether they may enter one. Memberships are read by the
/// user's own id across tenants (in a cross-tenant scope, so that the EF Core filter and SQL Server's row-level security
/// agree): that is the one cross-tenant read a tenant user needs, for the tenant switcher. A membership a directory
/// suspended (SCIM <c>active=false</c>) opens nothing: it is not listed, entering is refused with the reason, and a
/// circuit's re-check finds no access.
/// </summary>
public sealed class TenantAccessService(IDbContextFactory<PortalDbContext> contexts, ITenantContext tenantContext)
{
    /// <summary>The tenants the user is a member of, by name.</summary>
    public async Task<IReadOnlyList<TenantAccess>> ListForUserAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        // A user belongs to a handful of tenants: sorted here, as EF can't order by a member of the projected record.
        List<TenantAccess> tenants;
        using (MembershipScope(db))
            tenants = await MembershipsOf(db, userId, db.Tenants).ToListAsync(cancellationToken);
        return tenants.OrderBy(a => a.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
    }

    /// <summary>
    /// Checks that the user is a member of the tenant with this slug and makes it the current tenant of the scope.
    /// A tenant the user does not belong to is reported as not found, so that its existence is not revealed. An Owner
    /// of a tenant that requires two-factor authentication for Owners is refused (<see cref="ErrorCodes.TwoFactorRequired"/>)
    /// unless their account has it and <paramref name="signedInWithSecondFactor"/> (the sign-in used it).
    /// </summary>
    public async Task<Result<TenantAccess>> EnterAsync(string slug, string userId, bool signedInWithSecondFactor, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        TenantAccess? access;
        using (MembershipScope(db))
            access = await MembershipsOf(db, userId, db.Tenants.Where(t => t.Slug == slug)).SingleOrDefaultAsync(cancellationToken);
        if (access is null)
        {
            bool suspended;
            using (MembershipScope(db))
                suspended = await db.Members.AnyAsync(m => m.UserId == userId && m.SuspendedAt != null && db.Tenants.Any(t => t.Id == m.TenantId && t.Slug == slug), cancellationToken);
            return suspended ? Error.Forbidden(TenantGate.SuspendedMessage) : Error.NotFound($"No workspace '{slug}' was found among yours.");
        }
        // The tenant's requirement came with the membership read: only an Owner of a tenant that asks has the account looked at.
        if (access is { Role: TenantRole.Owner, OwnersNeedTwoFactor: true }
            && await AccountLacksSecondFactorAsync(db, userId, signedInWithSecondFactor, cancellationToken))
            return new Error(ErrorCodes.TwoFactorRequired,
                $"{access.Name} asks its owners to sign in with two-factor authentication. Set it up for your account, then log out and log in again with its code.");
        tenantContext.SetTenant(access.TenantId);
        return access;
    }

    /// <summary>
    /// True when the user is an Owner of the tenant, the tenant requires two-factor authentication for Owners, and the
    /// user's account has none or <paramref name="signedInWithSecondFactor"/> is false. Other roles are never affected.
    /// </summary>
    /// <remarks>The tenant's requirement is read now, whatever <paramref name="access"/> says.</remarks>
    public async Task<bool> LacksRequiredSecondFactorAsync(TenantAccess access, string userId, bool signedInWithSecondFactor, CancellationToken cancellationToken)
    {
        if (access.Role != TenantRole.Owner)
            return false;
        await using var db = contexts.CreateDbContext();
        return await db.Tenants.AnyAsync(t => t.Id == access.TenantId && t.RequireOwnerTwoFactor, cancellationToken)
            && await AccountLacksSecondFactorAsync(db, userId, signedInWithSecondFactor, cancellationToken);
    }

    /// <summary>The user's current access to a tenant (role and tenant status as stored now), or null when not a member or suspended.</summary>
    public async Task<TenantAccess?> CheckAsync(Guid tenantId, string userId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        using (MembershipScope(db))
            return await MembershipsOf(db, userId, db.Tenants.Where(t => t.Id == tenantId)).SingleOrDefaultAsync(cancellationToken);
    }

    private static async Task<bool> AccountLacksSecondFactorAsync(PortalDbContext db, string userId, bool signedInWithSecondFactor, CancellationToken cancellationToken) =>
        !signedInWithSecondFactor || !await db.Users.AnyAsync(u => u.Id == userId && u.TwoFactorEnabled, cancellationToken);

    // Only around the membership reads: the rows selected are the user's own, by their user id.
    private static IDisposable MembershipScope(PortalDbContext db) => db.BeginCrossTenantScope("a user's own memberships, by their user id");

    // The user's own memberships across tenants, joined to the given tenants (run inside MembershipScope).
    private static IQueryable<TenantAccess> MembershipsOf(PortalDbContext db, string userId, IQueryable<Tenant> tenants) =>
        db.Members
            .Where(m => m.UserId == userId && m.SuspendedAt == null)
            .Join(tenants, m => m.TenantId, t => t.Id, (m, t) => new TenantAccess(t.Id, t.Slug, t.Name, t.Tier, t.Status, m.Role, t.RequireOwnerTwoFactor));
}
