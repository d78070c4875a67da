using TenantPortal.Core.Audit;

namespace TenantPortal.Data.Services.Audit;

/// <summary>The filter and order of audit queries, shared by a tenant's log and the fleet's.</summary>
internal static class AuditQuery
{
    /// <summary>Applies <paramref name="filter"/>: action by prefix and actor by substring, case-insensitively on both providers; time range [From, To).</summary>
    public static IQueryable<AuditEntry> Where(IQueryable<AuditEntry> query, AuditFilter filter)
    {
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
        return query;
    }

    /// <summary>Newest first; the id breaks ties.</summary>
    public static IQueryable<AuditEntry> NewestFirst(IQueryable<AuditEntry> query) =>
        query.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id);

    /// <summary>The refusal of a bad page, or null.</summary>
    public static TenantPortal.Core.Common.Error? CheckPage(int skip, int take, int maxPageSize)
    {
        if (skip < 0)
            return TenantPortal.Core.Common.Error.Invalid("skip", "skip can't be negative.");
        if (take < 1 || take > maxPageSize)
            return TenantPortal.Core.Common.Error.Invalid("take", $"A page holds 1 to {maxPageSize} entries.");
        return null;
    }
}
