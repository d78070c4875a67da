using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Operations;

namespace TenantPortal.Data.Services.Audit;

/// <summary>The whole fleet's audit log for operators: every tenant's entries and the fleet-level ones, filtered and paged in the database.</summary>
public sealed class FleetAuditService(IDbContextFactory<PortalDbContext> contexts, ITenantContext tenantContext)
{
    /// <summary>Largest page.</summary>
    public const int MaxPageSize = 100;

    /// <summary>
    /// A page of the log, newest first (Operator). <paramref name="tenantSlug"/> keeps one tenant's entries (exact slug,
    /// case-insensitive); the other parts of the filter work as in a tenant's own log.
    /// </summary>
    public async Task<Result<FleetAuditPage>> QueryAsync(Actor actor, string? tenantSlug, AuditFilter filter, int skip, int take, CancellationToken cancellationToken)
    {
        if (AuditQuery.CheckPage(skip, take, MaxPageSize) is { } refused)
            return refused;
        using var scope = tenantContext.BeginCrossTenantScope("operators reading the fleet's audit log");
        await using var db = contexts.CreateDbContext();
        if (!await OperatorRole.IsOperatorAsync(db, actor, cancellationToken))
            return Error.Forbidden("Only operators can read the fleet's audit log.");
        var query = AuditQuery.Where(db.AuditEntries.AsNoTracking(), filter);
        if (!string.IsNullOrWhiteSpace(tenantSlug))
        {
            var slug = tenantSlug.Trim().ToLowerInvariant();
            query = query.Where(e => db.Tenants.Any(t => t.Id == e.TenantId && t.Slug == slug));
        }
        var total = await query.CountAsync(cancellationToken);
        var rows = await (from e in AuditQuery.NewestFirst(query).Skip(skip).Take(take)
                          join t in db.Tenants on e.TenantId equals (Guid?)t.Id into tenants
                          from t in tenants.DefaultIfEmpty()
                          select new { Entry = e, Slug = t == null ? null : t.Slug })
            .ToListAsync(cancellationToken);
        // The join does not promise the order of the page it joins: sort the page again.
        return new FleetAuditPage(rows.Select(r => new FleetAuditRow(r.Entry, r.Slug))
            .OrderByDescending(r => r.Entry.OccurredAt).ThenByDescending(r => r.Entry.Id).ToList(), total);
    }
}
