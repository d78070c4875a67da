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
/// cross-tenant scope explicitly: this class is the operators' door to all tenants. Usage, quotas and revenue are
/// computed in SQL, so a page of 10,000 tenants reads one page of rows.
/// </summary>
public sealed class FleetService(IDbContextFactory<PortalDbContext> contexts, ITenantContext tenantContext, TimeProvider time)
{
    /// <summary>How far ahead a trial's end counts as "ending soon".</summary>
    public static readonly TimeSpan TrialEndingWindow = TimeSpan.FromDays(7);

    /// <summary>Tenants by status, the MRR of paying tenants (annual cycles count a twelfth of their price) and tenants over a quota.</summary>
    public async Task<Result<FleetSummary>> SummaryAsync(Actor actor, CancellationToken cancellationToken)
    {
        using var scope = tenantContext.BeginCrossTenantScope("operator fleet summary");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await OperatorRole.IsOperatorAsync(db, actor, cancellationToken))
            return Error.Forbidden("Only operators can see the fleet.");
        // The counts and the tenants over quota of one moment; on SQL Server in a snapshot, which a running rollup (holding
        // the watermark and the rollups it touched) doesn't block and isn't half-seen by (MeteringReads).
        var (groups, overQuota) = await MeteringReads.OneSnapshotAsync(db, async ct =>
        {
            var byKind = await db.Tenants.GroupBy(t => new { t.Status, t.Tier, t.BillingCycle })
                .Select(g => new { g.Key.Status, g.Key.Tier, g.Key.BillingCycle, Count = g.Count() })
                .ToListAsync(ct);
            var over = await WithQuotaState(Project(db, time.GetUtcNow()), FleetQuotaState.AtLeast100Percent).CountAsync(ct);
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
        return WithQuotaState(Project(db, tenants, now), query.QuotaState);
    }

    private static IQueryable<FleetTenantProjection> WithQuotaState(IQueryable<FleetTenantProjection> source, FleetQuotaState state) => state switch
    {
        FleetQuotaState.AtLeast90Percent => source.Where(p => p.ApiCallsPercent >= 90 || p.StoragePercent >= 90 || p.GpuHoursPercent >= 90),
        FleetQuotaState.AtLeast100Percent => source.Where(p => p.ApiCallsPercent >= 100 || p.StoragePercent >= 100 || p.GpuHoursPercent >= 100),
        _ => source,
    };

    private static IQueryable<FleetTenantProjection> Project(PortalDbContext db, DateTimeOffset now) => Project(db, db.Tenants.AsNoTracking(), now);

    /// <summary>
    /// The tenants with members, MRR and this period's usage against their effective quotas, as SQL. Counters are the
    /// month rollup plus the events past the rollup watermark (as <c>UsageMeter.CountersAsync</c> reads them); storage is
    /// the latest level. Percentages are <c>double</c>: they are shown and compared, never billed.
    /// </summary>
    private static IQueryable<FleetTenantProjection> Project(PortalDbContext db, IQueryable<Tenant> tenants, DateTimeOffset now)
    {
        var periodStart = PeriodMath.MonthStart(now);
        var periodEnd = periodStart.AddMonths(1);
        var watermark = db.MeteringWatermarks.Where(w => w.Name == MeteringWatermark.Rollup).Select(w => (long?)w.LastEventId);
        var rollups = db.UsageRollups.Where(r => r.Granularity == RollupGranularity.Month && r.PeriodStart == periodStart);
        var fresh = db.UsageEvents.Where(e => e.Id > (watermark.FirstOrDefault() ?? 0) && e.Timestamp >= periodStart && e.Timestamp < periodEnd);
        var storage = db.UsageEvents.Where(e => e.Metric == UsageMetric.StorageGb && e.Timestamp <= now);
        var (apiFree, apiStarter, apiPro, apiEnterprise) = PlanLimits(UsageMetric.ApiCalls);
        var (gbFree, gbStarter, gbPro, gbEnterprise) = PlanLimits(UsageMetric.StorageGb);
        var (gpuFree, gpuStarter, gpuPro, gpuEnterprise) = PlanLimits(UsageMetric.GpuHours);
        var (monthlyFree, monthlyStarter, monthlyPro, monthlyEnterprise) = Prices(BillingCycle.Monthly);
        var (annualFree, annualStarter, annualPro, annualEnterprise) = Prices(BillingCycle.Annual);

        var usage = tenants.Select(t => new
        {
            t.Id, t.Name, t.Slug, t.Tier, t.Status, t.BillingCycle, t.CreatedAt, t.TrialEndsAt,
            Members = db.Members.Count(m => m.TenantId == t.Id),
            ApiUsed = rollups.Where(r => r.TenantId == t.Id && r.Metric == UsageMetric.ApiCalls).Sum(r => (double)r.Sum)
                + fresh.Where(e => e.TenantId == t.Id && e.Metric == UsageMetric.ApiCalls).Sum(e => (double)e.Quantity),
            GpuUsed = rollups.Where(r => r.TenantId == t.Id && r.Metric == UsageMetric.GpuHours).Sum(r => (double)r.Sum)
                + fresh.Where(e => e.TenantId == t.Id && e.Metric == UsageMetric.GpuHours).Sum(e => (double)e.Quantity),
            StorageUsed = storage.Where(e => e.TenantId == t.Id)
                .OrderByDescending(e => e.Timestamp).ThenByDescending(e => e.Id)
                .Select(e => (double?)e.Quantity).FirstOrDefault() ?? 0,
            ApiLimit = db.QuotaOverrides.Where(o => o.TenantId == t.Id && o.Metric == UsageMetric.ApiCalls).Select(o => (double?)o.Limit).FirstOrDefault()
                ?? (t.Tier == SubscriptionTier.Free ? apiFree : t.Tier == SubscriptionTier.Starter ? apiStarter : t.Tier == SubscriptionTier.Professional ? apiPro : apiEnterprise),
            GbLimit = db.QuotaOverrides.Where(o => o.TenantId == t.Id && o.Metric == UsageMetric.StorageGb).Select(o => (double?)o.Limit).FirstOrDefault()
                ?? (t.Tier == SubscriptionTier.Free ? gbFree : t.Tier == SubscriptionTier.Starter ? gbStarter : t.Tier == SubscriptionTier.Professional ? gbPro : gbEnterprise),
            GpuLimit = db.QuotaOverrides.Where(o => o.TenantId == t.Id && o.Metric == UsageMetric.GpuHours).Select(o => (double?)o.Limit).FirstOrDefault()
                ?? (t.Tier == SubscriptionTier.Free ? gpuFree : t.Tier == SubscriptionTier.Starter ? gpuStarter : t.Tier == SubscriptionTier.Professional ? gpuPro : gpuEnterprise),
        });

        // QuotaCalculator.Percentage in SQL: unlimited (-1) is null; a zero quota is 100 % once anything is used.
        return usage.Select(u => new FleetTenantProjection
        {
            Id = u.Id, Name = u.Name, Slug = u.Slug, Tier = u.Tier, Status = u.Status, CreatedAt = u.CreatedAt, TrialEndsAt = u.TrialEndsAt,
            Members = u.Members,
            TierRank = u.Tier == SubscriptionTier.Free ? 0 : u.Tier == SubscriptionTier.Starter ? 1 : u.Tier == SubscriptionTier.Professional ? 2 : 3,
            StatusRank = u.Status == TenantStatus.Trial ? 0 : u.Status == TenantStatus.Active ? 1 : u.Status == TenantStatus.PastDue ? 2 : u.Status == TenantStatus.Suspended ? 3 : 4,
            MrrCents = u.Status != TenantStatus.Active && u.Status != TenantStatus.PastDue ? 0L
                : u.BillingCycle == BillingCycle.Annual
                    ? (u.Tier == SubscriptionTier.Free ? annualFree : u.Tier == SubscriptionTier.Starter ? annualStarter : u.Tier == SubscriptionTier.Professional ? annualPro : annualEnterprise)
                    : (u.Tier == SubscriptionTier.Free ? monthlyFree : u.Tier == SubscriptionTier.Starter ? monthlyStarter : u.Tier == SubscriptionTier.Professional ? monthlyPro : monthlyEnterprise),
            ApiCallsPercent = u.ApiLimit == Unlimited ? null : u.ApiLimit <= 0 ? (u.ApiUsed > 0 ? 100 : 0) : u.ApiUsed / u.ApiLimit * 100,
            StoragePercent = u.GbLimit == Unlimited ? null : u.GbLimit <= 0 ? (u.StorageUsed > 0 ? 100 : 0) : u.StorageUsed / u.GbLimit * 100,
            GpuHoursPercent = u.GpuLimit == Unlimited ? null : u.GpuLimit <= 0 ? (u.GpuUsed > 0 ? 100 : 0) : u.GpuUsed / u.GpuLimit * 100,
        });
    }

    private const double Unlimited = (double)PlanCatalog.Unlimited;

    // Below any percentage: where an unlimited quota (a null percent) sorts.
    private const double UnlimitedSortKey = -1;

    private static (double Free, double Starter, double Professional, double Enterprise) PlanLimits(UsageMetric metric) =>
        ((double)PlanCatalog.Free.Limit(metric), (double)PlanCatalog.Starter.Limit(metric),
         (double)PlanCatalog.Professional.Limit(metric), (double)PlanCatalog.Enterprise.Limit(metric));

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
