using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;

namespace TenantPortal.Data.Services.Audit;

/// <summary>The current tenant's audit log for its admins: filtered and paged in the database.</summary>
public sealed class AuditQueryService(IDbContextFactory<PortalDbContext> contexts)
{
    /// <summary>Largest page.</summary>
    public const int MaxPageSize = 100;

    /// <summary>A page of the log, newest first (Admin).</summary>
    public async Task<Result<AuditPage>> QueryAsync(Actor actor, AuditFilter filter, int skip, int take, CancellationToken cancellationToken)
    {
        if (AuditQuery.CheckPage(skip, take, MaxPageSize) is { } refused)
            return refused;
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewAuditLog, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var query = AuditQuery.Where(db.AuditEntries.AsNoTracking(), filter);
        var total = await query.CountAsync(cancellationToken);
        var entries = await AuditQuery.NewestFirst(query).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return new AuditPage(entries, total);
    }

    /// <summary>
    /// Up to <paramref name="take"/> entries, newest first, after <paramref name="after"/> (the last entry of the previous
    /// page; null from the newest) — keyset paging, so entries written meanwhile neither shift nor repeat a page (Admin).
    /// The slice says whether older entries remain.
    /// </summary>
    public async Task<Result<AuditSlice>> PageAfterAsync(Actor actor, AuditFilter filter, AuditPosition? after, int take, CancellationToken cancellationToken)
    {
        if (AuditQuery.CheckPage(0, take, MaxPageSize) is { } refused)
            return refused;
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewAuditLog, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var query = AuditQuery.Where(db.AuditEntries.AsNoTracking(), filter);
        if (after is { } a)
            query = query.Where(e => e.OccurredAt < a.OccurredAt || (e.OccurredAt == a.OccurredAt && e.Id < a.Id));
        var entries = await AuditQuery.NewestFirst(query).Take(take + 1).ToListAsync(cancellationToken);
        return new AuditSlice(entries.Take(take).ToList(), entries.Count > take);
    }
}
