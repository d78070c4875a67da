using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services;

/// <summary>
/// Operator reads across the whole fleet. Every method opens a cross-tenant scope explicitly: this class is the
/// operators' door to all tenants, and callers must have checked the Operator role.
/// </summary>
public sealed class FleetService(IDbContextFactory<PortalDbContext> contexts, ITenantContext tenantContext)
{
    /// <summary>Tenants by status and the MRR of paying tenants (annual cycles count a twelfth of their price).</summary>
    public async Task<FleetSummary> SummaryAsync(CancellationToken cancellationToken)
    {
        using var scope = tenantContext.BeginCrossTenantScope("operator fleet summary");
        await using var db = contexts.CreateDbContext();
        var groups = await db.Tenants.GroupBy(t => new { t.Status, t.Tier, t.BillingCycle })
            .Select(g => new { g.Key.Status, g.Key.Tier, g.Key.BillingCycle, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var byStatus = Enum.GetValues<TenantStatus>().ToDictionary(s => s, s => groups.Where(g => g.Status == s).Sum(g => g.Count));
        var mrr = groups.Where(g => g.Status is TenantStatus.Active or TenantStatus.PastDue)
            .Sum(g => g.Count * MonthlyRevenueCents(g.Tier, g.BillingCycle));
        return new FleetSummary(byStatus, mrr);
    }

    /// <summary>A page of tenants, searched by name or slug, ordered by name.</summary>
    public async Task<(IReadOnlyList<FleetTenantRow> Rows, int Total)> ListAsync(string? search, int skip, int take, CancellationToken cancellationToken)
    {
        using var scope = tenantContext.BeginCrossTenantScope("operator fleet list");
        await using var db = contexts.CreateDbContext();
        var query = db.Tenants.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToLowerInvariant();
            query = query.Where(t => t.Slug.Contains(term) || t.Name.ToLower().Contains(term));
        }
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderBy(t => t.Name).Skip(skip).Take(take)
            .Select(t => new
            {
                t.Id, t.Name, t.Slug, t.Tier, t.Status, t.BillingCycle, t.CreatedAt,
                Members = db.Members.Count(m => m.TenantId == t.Id),
            })
            .ToListAsync(cancellationToken);
        return (rows.Select(r => new FleetTenantRow(r.Id, r.Name, r.Slug, r.Tier, r.Status, r.Members,
            r.Status is TenantStatus.Active or TenantStatus.PastDue ? MonthlyRevenueCents(r.Tier, r.BillingCycle) : 0, r.CreatedAt)).ToList(), total);
    }

    private static long MonthlyRevenueCents(SubscriptionTier tier, BillingCycle cycle) =>
        cycle == BillingCycle.Annual ? PlanCatalog.For(tier).AnnualPriceCents / 12 : PlanCatalog.For(tier).MonthlyPriceCents;
}
