using Microsoft.EntityFrameworkCore;
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
}
