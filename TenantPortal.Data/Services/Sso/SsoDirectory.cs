using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Common;
using TenantPortal.Core.Entitlements;
using TenantPortal.Core.Members;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Entitlements;

namespace TenantPortal.Data.Services.Sso;

/// <summary>
/// The sign-in side of single sign-on, before any tenant is known (cross-tenant by design, like an API key's lookup):
/// which tenant's provider an email goes to (by the tenant that holds its domain verified), a connection by its id (the
/// callback path names it), and what "require SSO" says about a user's password. A connection applies only while it is
/// enabled, the tenant's plan includes <c>sso</c>, and the email's domain is allowed and still verified by the tenant.
/// </summary>
public sealed class SsoDirectory(
    IDbContextFactory<PortalDbContext> contexts,
    EntitlementService entitlements,
    SsoSecretProtector secrets,
    AuditWriter audit)
{
    /// <summary>The connection that signs in <paramref name="email"/>, or null: then it is a password log-in.</summary>
    public async Task<SsoRoute?> FindForEmailAsync(string? email, CancellationToken cancellationToken)
    {
        if (DomainOf(email) is not { } domain)
            return null;
        await using var db = contexts.CreateDbContext();
        using var _ = db.BeginCrossTenantScope("single sign-on: which tenant holds an email's domain verified, before anyone is signed in");
        var found = await (
            from d in db.TenantDomains
            where d.Name == domain && d.VerifiedAt != null
            join c in db.SsoConnections on d.TenantId equals c.TenantId
            where c.Enabled
            join t in db.Tenants on c.TenantId equals t.Id
            select new { c.Id, c.TenantId, c.AllowedDomains, t.Name, t.Slug }).AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        if (found is null || !found.AllowedDomains.Split(',').Contains(domain, StringComparer.Ordinal))
            return null;
        if (!await EntitledAsync(found.TenantId, cancellationToken))
            return null;
        return new SsoRoute(found.Id, found.TenantId, found.Name, found.Slug);
    }

    /// <summary>
    /// The connection named by a sign-in or callback path, ready for the handler, or null when it is unknown, off, not
    /// in the tenant's plan, has no allowed domain still verified, or its secret can no longer be read.
    /// </summary>
    public async Task<SsoClient?> FindClientAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        using var _ = db.BeginCrossTenantScope("single sign-on: the connection a sign-in or callback path names, before anyone is signed in");
        var found = await (
            from c in db.SsoConnections
            where c.Id == connectionId && c.Enabled
            join t in db.Tenants on c.TenantId equals t.Id
            select new { Connection = c, t.Name, t.Slug }).AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (found is null || !await EntitledAsync(found.Connection.TenantId, cancellationToken))
            return null;
        var tenantId = found.Connection.TenantId;
        var verified = await db.TenantDomains.AsNoTracking()
            .Where(d => d.TenantId == tenantId && d.VerifiedAt != null).Select(d => d.Name).ToListAsync(cancellationToken);
        var domains = found.Connection.Domains.Intersect(verified, StringComparer.Ordinal).ToList();
        if (domains.Count == 0 || secrets.Unprotect(found.Connection.ProtectedClientSecret) is not { } secret)
            return null;
        return new SsoClient(found.Connection.Id, found.Connection.Version, tenantId, found.Name, found.Slug, found.Connection.Issuer,
            found.Connection.ClientId, secret, found.Connection.DefaultRole, domains);
    }

    /// <summary>
    /// The version of a connection (moves with every change), or null when it is gone: read on every sign-in request so
    /// that each instance's cached options follow a change made on another.
    /// </summary>
    public async Task<int?> VersionAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        using var _ = db.BeginCrossTenantScope("single sign-on: the version of the connection a callback path names");
        return await db.SsoConnections.AsNoTracking().Where(c => c.Id == connectionId).Select(c => (int?)c.Version).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// What "require SSO" says about <paramref name="userId"/> logging in with a password: refused while they are a member
    /// below Owner of a tenant that requires SSO (the first such tenant is named); an Owner of such tenants may (break glass).
    /// </summary>
    public async Task<SsoPasswordRule> PasswordRuleAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        using var _ = db.BeginCrossTenantScope("single sign-on: a user's own memberships in tenants that require it, by their user id");
        var requiring = await (
            from m in db.Members
            where m.UserId == userId
            join c in db.SsoConnections on m.TenantId equals c.TenantId
            where c.Enabled && c.RequireSso
            join t in db.Tenants on m.TenantId equals t.Id
            orderby t.Name
            select new { m.TenantId, m.Role, t.Name, ConnectionId = c.Id }).AsNoTracking().ToListAsync(cancellationToken);
        var applying = new List<(Guid TenantId, TenantRole Role, string Name, Guid ConnectionId)>();
        foreach (var r in requiring)
        {
            if (await EntitledAsync(r.TenantId, cancellationToken))
                applying.Add((r.TenantId, r.Role, r.Name, r.ConnectionId));
        }
        if (applying.Count == 0)
            return SsoPasswordRule.None;
        var blocked = applying.FirstOrDefault(r => r.Role != TenantRole.Owner);
        return blocked.Name is not null
            ? new SsoPasswordRule(blocked.Name, blocked.ConnectionId, [])
            : new SsoPasswordRule(null, null, applying.Select(r => r.TenantId).ToList());
    }

    /// <summary>Audits an owner's password log-in in each tenant that requires SSO (<see cref="AuditActions.SsoBreakGlassUsed"/>).</summary>
    public async Task RecordBreakGlassAsync(SsoPasswordRule rule, Actor actor, CancellationToken cancellationToken)
    {
        if (rule.BreakGlassTenants.Count == 0)
            return;
        await using var db = contexts.CreateDbContext();
        using var _ = db.BeginCrossTenantScope("single sign-on: the audit entry of an owner's break-glass password log-in, in the tenants they own");
        foreach (var tenantId in rule.BreakGlassTenants)
            audit.Record(db, tenantId, actor, AuditActions.SsoBreakGlassUsed, $"member:{actor.Display}", "logged in with a password although the workspace requires single sign-on");
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The normalized domain of an email, or null.</summary>
    public static string? DomainOf(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
            return null;
        var at = email.LastIndexOf('@');
        return at <= 0 || at == email.Length - 1 ? null : HostNames.Normalize(email[(at + 1)..].Trim());
    }

    private async Task<bool> EntitledAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var entitlement = await entitlements.CheckAsync(tenantId, EntitlementFeatures.Sso, cancellationToken);
        return entitlement.IsSuccess && entitlement.Value.Enabled;
    }
}
