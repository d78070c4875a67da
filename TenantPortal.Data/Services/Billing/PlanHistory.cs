using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Billing;

/// <summary>
/// Keeps a tenant's plan history (<see cref="PlanSegment"/>): every transition of <see cref="Tenant"/> that changes the plan,
/// the cycle or the charging returns a <see cref="PlanSwitch"/>, and its caller records it here, so the invoice's base
/// lines always follow what the tenant really had. The caller saves.
/// </summary>
public static class PlanHistory
{
    /// <summary>
    /// From the switch's instant on the tenant is on its tier and cycle, charged or not: the segment in force is closed at
    /// that instant, segments starting later are dropped, and a new open segment starts. Nothing happens (false) when the
    /// segment in force already says the same and nothing later is scheduled.
    /// </summary>
    public static async Task<bool> RecordAsync(PortalDbContext db, Guid tenantId, PlanSwitch change, CancellationToken cancellationToken)
    {
        var (tier, cycle, charged, at) = change;
        var segments = (await TrackedAsync(db, tenantId, cancellationToken)).Where(s => s.EndsAt == null || s.EndsAt > at).ToList();
        var current = segments.Where(s => s.StartsAt <= at).MaxBy(s => s.StartsAt);
        var later = segments.Where(s => s.StartsAt > at).ToList();
        if (current is not null && later.Count == 0 && current.EndsAt is null
            && current.Tier == tier && current.Cycle == cycle && current.Charged == charged)
            return false;
        db.PlanSegments.RemoveRange(later);
        if (current is not null)
        {
            if (current.StartsAt == at)
                db.PlanSegments.Remove(current);
            else
                current.EndsAt = at;
        }
        db.PlanSegments.Add(new PlanSegment { TenantId = tenantId, Tier = tier, Cycle = cycle, Charged = charged, StartsAt = at });
        return true;
    }

    /// <summary>
    /// Withdraws what was scheduled after <paramref name="now"/> (a downgrade or a cancellation at the period end): later
    /// segments are dropped and the segment in force stays open.
    /// </summary>
    public static async Task DropScheduledAsync(PortalDbContext db, Tenant tenant, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var segments = (await TrackedAsync(db, tenant.Id, cancellationToken)).Where(s => s.EndsAt == null || s.EndsAt > now).ToList();
        db.PlanSegments.RemoveRange(segments.Where(s => s.StartsAt > now));
        if (segments.Where(s => s.StartsAt <= now).MaxBy(s => s.StartsAt) is { } current)
            current.EndsAt = null;
    }

    // The tenant's segments as this context holds them: stored ones (loaded and tracked) with the changes not saved yet,
    // and those added since, so that two switches in one unit of work see each other.
    private static async Task<List<PlanSegment>> TrackedAsync(PortalDbContext db, Guid tenantId, CancellationToken cancellationToken)
    {
        await db.PlanSegments.Where(s => s.TenantId == tenantId).LoadAsync(cancellationToken);
        return db.PlanSegments.Local.Where(s => s.TenantId == tenantId).ToList();
    }

    /// <summary>The in-memory twin of <see cref="RecordAsync"/>: the history as it would be after the switch (for previews).</summary>
    public static List<PlanSegment> Simulate(IEnumerable<PlanSegment> segments, SubscriptionTier tier, BillingCycle cycle, bool charged, DateTimeOffset at)
    {
        var result = segments.Where(s => s.StartsAt < at)
            .Select(s => new PlanSegment
            {
                Id = s.Id, TenantId = s.TenantId, Tier = s.Tier, Cycle = s.Cycle, Charged = s.Charged, StartsAt = s.StartsAt,
                EndsAt = s.EndsAt is null || s.EndsAt > at ? at : s.EndsAt,
            })
            .ToList();
        result.Add(new PlanSegment { TenantId = segments.FirstOrDefault()?.TenantId ?? Guid.Empty, Tier = tier, Cycle = cycle, Charged = charged, StartsAt = at });
        return result;
    }

    /// <summary>The tenant's segments overlapping [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public static Task<List<PlanSegment>> OverlappingAsync(PortalDbContext db, Guid tenantId, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken) =>
        db.PlanSegments.AsNoTracking()
            .Where(s => s.TenantId == tenantId && s.StartsAt < to && (s.EndsAt == null || s.EndsAt > from))
            .OrderBy(s => s.StartsAt)
            .ToListAsync(cancellationToken);
}
