using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Services.Operations;

namespace TenantPortal.Data.Services;

/// <summary>
/// Operator reads across the whole fleet. Every method checks that the actor holds the Operator role and opens a
/// cross-tenant scope explicitly: this class is the operators' door to all tenants. Usage and quota percentages come
/// from the per-tenant snapshot (<see cref="FleetUsageSnapshot"/>), brought up to date by
/// <see cref="FleetSnapshotRefresher"/> before each read; revenue is computed in SQL; a page of 10,000 tenants reads
/// one page of rows.
/// </summary>
public sealed class FleetService(IDbContextFactory<PortalDbContext> contexts, ITenantContext tenantContext, TimeProvider time, FleetSnapshotChanges? snapshotChanges = null)
{
    private readonly FleetSnapshotRefresher _snapshots = new(snapshotChanges);

    /// <summary>How far ahead a trial's end counts as "ending soon".</summary>
    public static readonly TimeSpan TrialEndingWindow = TimeSpan.FromDays(7);

    /// <summary>Tenants by status, the MRR of paying tenants (annual cycles count a twelfth of their price) and tenants over a quota.</summary>
    public async Task<Result<FleetSummary>> SummaryAsync(Actor actor, CancellationToken cancellationToken)
    {
        using var scope = tenantContext.BeginCrossTenantScope("operator fleet summary");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await OperatorRole.IsOperatorAsync(db, actor, cancellationToken))
            return Error.Forbidden("Only operators can see the fleet.");
        await _snapshots.RefreshAsync(db, time.GetUtcNow(), cancellationToken);
        // The counts and the tenants over quota of one moment; on SQL Server in a snapshot, which a running rollup (holding
        // the watermark and the rollups it touched) doesn't block and isn't half-seen by (MeteringReads).
        var (groups, overQuota) = await MeteringReads.OneSnapshotAsync(db, async ct =>
        {
            var byKind = await db.Tenants.GroupBy(t => new { t.Status, t.Tier, t.BillingCycle })
                .Select(g => new { g.Key.Status, g.Key.Tier, g.Key.BillingCycle, Count = g.Count() })
                .ToListAsync(ct);
            var over = await db.FleetUsageSnapshots.CountAsync(s => s.MaxPercent >= 100 && db.Tenants.Any(t => t.Id == s.TenantId), ct);
            return (byKind, over);
        }, cancellationToken);
        var byStatus = Enum.GetValues<TenantStatus>().ToDictionary(s => s, s => groups.Where(g => g.Status == s).Sum(g => g.Count));
        var mrr = groups.Where(g => g.Status is TenantStatus.Active or TenantStatus.PastDue)
            .Sum(g => g.Count * MonthlyRevenueCents(g.Tier, g.BillingCycle));
        return new FleetSummary(byStatus, mrr, overQuota);
    }

    /// <summary>A page of tenants matching the query, sorted and paged in the database, with the number of matches.</summary>
    public async Task<Result<FleetPage>> ListAsync(Actor actor, FleetQuery query, CancellationToken cancellationToken)
    {
        using var scope = tenantContext.BeginCrossTenantScope("operator fleet list");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await OperatorRole.IsOperatorAsync(db, actor, cancellationToken))
            return Error.Forbidden("Only operators can see the fleet.");
        var now = time.GetUtcNow();
        await _snapshots.RefreshAsync(db, now, cancellationToken);
        // The count and the page of one moment (as the summary reads them).
        var (total, rows) = await MeteringReads.OneSnapshotAsync(db, async ct =>
            (await Filtered(db, query, now).CountAsync(ct), await PageQuery(db, query, now).ToListAsync(ct)), cancellationToken);
        return new FleetPage(rows.Select(ToRow).ToList(), total);
    }

    /// <summary>The query of one page: filtered, sorted (ties by name, then id) and paged.</summary>
    internal static IQueryable<FleetTenantProjection> PageQuery(PortalDbContext db, FleetQuery query, DateTimeOffset now)
    {
        var filtered = Filtered(db, query, now);
        var sorted = query.SortBy switch
        {
            FleetSortColumn.Slug => Order(filtered, p => p.Slug, query.Descending),
            FleetSortColumn.Tier => Order(filtered, p => p.TierRank, query.Descending),
            FleetSortColumn.Status => Order(filtered, p => p.StatusRank, query.Descending),
            FleetSortColumn.Members => Order(filtered, p => p.Members, query.Descending),
            FleetSortColumn.ApiCallsPercent => Order(filtered, p => p.ApiCallsPercent ?? UnlimitedSortKey, query.Descending),
            FleetSortColumn.StoragePercent => Order(filtered, p => p.StoragePercent ?? UnlimitedSortKey, query.Descending),
            FleetSortColumn.GpuHoursPercent => Order(filtered, p => p.GpuHoursPercent ?? UnlimitedSortKey, query.Descending),
            FleetSortColumn.Mrr => Order(filtered, p => p.MrrCents, query.Descending),
            FleetSortColumn.Created => Order(filtered, p => p.CreatedAt, query.Descending),
            _ => Order(filtered, p => p.Name, query.Descending),
        };
        // An unlimited quota (null percent) sorts below 0 % on every provider: PostgreSQL puts nulls last ascending and
        // first descending, SQLite and SQL Server the other way round, so the key is never null.
        return sorted.ThenBy(p => p.Name).ThenBy(p => p.Id)
            .Skip(Math.Max(0, query.Skip))
            .Take(Math.Clamp(query.Take, 1, FleetQuery.MaxTake));
    }

    private static IOrderedQueryable<FleetTenantProjection> Order<TKey>(IQueryable<FleetTenantProjection> source, Expression<Func<FleetTenantProjection, TKey>> key, bool descending) =>
        descending ? source.OrderByDescending(key) : source.OrderBy(key);

    private static IQueryable<FleetTenantProjection> Filtered(PortalDbContext db, FleetQuery query, DateTimeOffset now)
    {
        var tenants = db.Tenants.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim().ToLowerInvariant();
            tenants = tenants.Where(t => t.Slug.Contains(term) || t.Name.ToLower().Contains(term));
        }
        if (query.Tier is { } tier)
            tenants = tenants.Where(t => t.Tier == tier);
        if (query.Status is { } status)
            tenants = tenants.Where(t => t.Status == status);
        if (query.PastDue)
            tenants = tenants.Where(t => t.Status == TenantStatus.PastDue);
        if (query.TrialEndingSoon)
        {
            var horizon = now + TrialEndingWindow;
            tenants = tenants.Where(t => t.Status == TenantStatus.Trial && t.TrialEndsAt != null && t.TrialEndsAt <= horizon);
        }
        return WithQuotaState(Project(db, tenants), query.QuotaState);
    }

    // The quota state is the highest of the three percentages (MaxPercent, indexed): at least one metric at x % or more.
    private static IQueryable<FleetTenantProjection> WithQuotaState(IQueryable<FleetTenantProjection> source, FleetQuotaState state) => state switch
    {
        FleetQuotaState.AtLeast90Percent => source.Where(p => p.MaxPercent >= 90),
        FleetQuotaState.AtLeast100Percent => source.Where(p => p.MaxPercent >= 100),
        _ => source,
    };

    /// <summary>
    /// The tenants with members, MRR and this period's usage against their effective quotas: the tenant's own columns
    /// joined to its <see cref="FleetUsageSnapshot"/> (one row each once refreshed), so filters and sorts read columns,
    /// not per-tenant subqueries.
    /// </summary>
    private static IQueryable<FleetTenantProjection> Project(PortalDbContext db, IQueryable<Tenant> tenants)
    {
        var (monthlyFree, monthlyStarter, monthlyPro, monthlyEnterprise) = Prices(BillingCycle.Monthly);
        var (annualFree, annualStarter, annualPro, annualEnterprise) = Prices(BillingCycle.Annual);
        return tenants.Join(db.FleetUsageSnapshots, t => t.Id, s => s.TenantId, (t, s) => new FleetTenantProjection
        {
            Id = t.Id, Name = t.Name, Slug = t.Slug, Tier = t.Tier, Status = t.Status, CreatedAt = t.CreatedAt, TrialEndsAt = t.TrialEndsAt,
            Members = s.Members,
            TierRank = t.Tier == SubscriptionTier.Free ? 0 : t.Tier == SubscriptionTier.Starter ? 1 : t.Tier == SubscriptionTier.Professional ? 2 : 3,
            StatusRank = t.Status == TenantStatus.Trial ? 0 : t.Status == TenantStatus.Active ? 1 : t.Status == TenantStatus.PastDue ? 2 : t.Status == TenantStatus.Suspended ? 3 : 4,
            MrrCents = t.Status != TenantStatus.Active && t.Status != TenantStatus.PastDue ? 0L
                : t.BillingCycle == BillingCycle.Annual
                    ? (t.Tier == SubscriptionTier.Free ? annualFree : t.Tier == SubscriptionTier.Starter ? annualStarter : t.Tier == SubscriptionTier.Professional ? annualPro : annualEnterprise)
                    : (t.Tier == SubscriptionTier.Free ? monthlyFree : t.Tier == SubscriptionTier.Starter ? monthlyStarter : t.Tier == SubscriptionTier.Professional ? monthlyPro : monthlyEnterprise),
            ApiCallsPercent = s.ApiCallsPercent,
            StoragePercent = s.StoragePercent,
            GpuHoursPercent = s.GpuHoursPercent,
            MaxPercent = s.MaxPercent,
        });
    }

    // Below any percentage: where an unlimited quota (a null percent) sorts.
    private const double UnlimitedSortKey = -1;

    private static (long Free, long Starter, long Professional, long Enterprise) Prices(BillingCycle cycle) =>
        (MonthlyRevenueCents(SubscriptionTier.Free, cycle), MonthlyRevenueCents(SubscriptionTier.Starter, cycle),
         MonthlyRevenueCents(SubscriptionTier.Professional, cycle), MonthlyRevenueCents(SubscriptionTier.Enterprise, cycle));

    private static FleetTenantRow ToRow(FleetTenantProjection p) => new(
        p.Id, p.Name, p.Slug, p.Tier, p.Status, p.Members, p.MrrCents, p.CreatedAt,
        Percent(p.ApiCallsPercent), Percent(p.StoragePercent), Percent(p.GpuHoursPercent), p.TrialEndsAt);

    private static decimal? Percent(double? value) => value is { } v ? Math.Round((decimal)v, 2) : null;

    private static long MonthlyRevenueCents(SubscriptionTier tier, BillingCycle cycle) =>
        cycle == BillingCycle.Annual ? PlanCatalog.For(tier).AnnualPriceCents / 12 : PlanCatalog.For(tier).MonthlyPriceCents;

}
