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
        if (skip < 0)
            return Error.Invalid("skip", "skip can't be negative.");
        if (take is < 1 or > MaxPageSize)
            return Error.Invalid("take", $"A page holds 1 to {MaxPageSize} entries.");
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewAuditLog, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var query = db.AuditEntries.AsNoTracking();
        // Matched case-insensitively on both providers.
        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            var action = filter.Action.Trim().ToLowerInvariant();
            query = query.Where(e => e.Action.ToLower().StartsWith(action));
        }
        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            var actorText = filter.Actor.Trim().ToLowerInvariant();
            query = query.Where(e => e.Actor.ToLower().Contains(actorText));
        }
        if (filter.From is { } from)
            query = query.Where(e => e.OccurredAt >= from);
        if (filter.To is { } to)
            query = query.Where(e => e.OccurredAt < to);
        var total = await query.CountAsync(cancellationToken);
        var entries = await query.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return new AuditPage(entries, total);
    }
}
