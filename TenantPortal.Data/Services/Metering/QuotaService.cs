using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// Quota decisions for the current tenant, true at the moment they are asked: the period's use includes every event
/// stored so far. Free tiers (and metrics without an overage price) are hard limits; paid tiers may go over, flagged as
/// overage; operators' overrides replace the plan's quota; an expired trial, a suspension or a cancellation denies.
/// With <c>Metering:QuotaCache=Local</c> the use and the tenant's state come from <see cref="QuotaUsageCache"/> and
/// <see cref="TenantQuotaStateCache"/> once loaded; with <c>Metering:QuotaCache=Redis</c> the use comes from
/// <see cref="RedisQuotaTotals"/> (one round trip) and the state from <see cref="TenantQuotaStateCache"/>, and both from
/// the database while Redis is unreachable; without them every check reads the database. Seats are always
/// counted from the members (one indexed count): many paths add and remove members, and none of them is hot.
/// A tenant's blocking spend budget (kept on the cached tenant) is looked at only when the amount would be billed as
/// overage: then the period's usage is read once to price it (<see cref="SpendBudgets.WouldExceed"/>).
/// </summary>
public sealed class QuotaService(
    IDbContextFactory<PortalDbContext> contexts,
    ITenantContext tenantContext,
    TimeProvider time,
    IUsageCommitBarrier commitBarrier,
    QuotaUsageCache? usageCache = null,
    TenantQuotaStateCache? stateCache = null,
    RedisQuotaTotals? sharedTotals = null)
{
    /// <summary>Decides whether the current tenant may use <paramref name="amount"/> more of <paramref name="metric"/>.</summary>
    public async Task<Result<QuotaDecision>> CheckAsync(UsageMetric metric, decimal amount, CancellationToken cancellationToken)
    {
        if (amount < 0)
            return Error.Invalid("amount", "The amount can't be negative.");
        if (amount > UsageBatchRules.MaxQuantity)
            return Error.Invalid("amount", $"The amount can be at most {UsageBatchRules.MaxQuantity:N0}.");
        var tenantId = tenantContext.TenantId ?? throw new InvalidOperationException("A quota check needs a current tenant.");
        var now = time.GetUtcNow();
        if (sharedTotals is not null)
            return await CheckSharedAsync(sharedTotals, tenantId, metric, amount, now, cancellationToken);
        if (stateCache?.TryGet(tenantId) is { } cachedTenant && metric != UsageMetric.Users
            && usageCache is not null && usageCache.TryGetUsed(tenantId, metric, now, out var cachedUsed))
        {
            var decision = Decide(cachedTenant, metric, cachedUsed, amount, now);
            return decision.Overage && cachedTenant.BlocksPastSpendBudget
                ? await WithinBudgetAsync(decision, cachedTenant, metric, amount, now, cancellationToken)
                : decision;
        }

        await using var db = contexts.CreateDbContext();
        var tenant = stateCache?.TryGet(tenantId) ?? await LoadTenantAsync(db, tenantId, cancellationToken);
        var used = await UsedAsync(db, tenantId, metric, now, cancellationToken);
        return await WithinBudgetAsync(Decide(tenant, metric, used, amount, now), tenant, metric, amount, now, cancellationToken);
    }

    /// <summary>
    /// A decision that would bill overage, for a tenant whose spend budget blocks: refused with
    /// <see cref="QuotaDenial.BudgetExceeded"/> when the amount would take the period's overage cost past the budget
    /// (the cost as the invoice rounds it, from the period's usage read in one snapshot: <see cref="Budgets.BudgetUsage"/>). Every other decision as it is:
    /// an amount within the quota costs nothing, and ingestion never asks.
    /// </summary>
    private async ValueTask<QuotaDecision> WithinBudgetAsync(QuotaDecision decision, Tenant tenant, UsageMetric metric, decimal amount, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (!decision.Overage || !tenant.BlocksPastSpendBudget)
            return decision;
        await using var db = contexts.CreateDbContext();
        var usage = await Budgets.BudgetUsage.ReadAsync(db, tenant, now, await RunningCountersAsync(tenant.Id, now, cancellationToken), cancellationToken);
        return SpendBudgets.WouldExceed(tenant, metric, amount, usage)
            ? decision with { Allowed = false, Overage = false, Reason = QuotaDenial.BudgetExceeded }
            : decision;
    }

    // Metering:QuotaCache=Redis: the totals from Redis, the state from this instance's cache (kept current through Redis);
    // while Redis is away both come from the database, as with QuotaCache=None.
    private async Task<QuotaDecision> CheckSharedAsync(RedisQuotaTotals shared, Guid tenantId, UsageMetric metric, decimal amount, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (shared.IsAvailable && metric != UsageMetric.Users)
        {
            var tenant = stateCache?.TryGet(tenantId);
            if (tenant is null)
            {
                await using var stateDb = contexts.CreateDbContext();
                tenant = await LoadTenantAsync(stateDb, tenantId, cancellationToken);
            }
            if (await shared.UsedAsync(contexts, tenantId, metric, now, cancellationToken) is { } used)
                return await WithinBudgetAsync(Decide(tenant, metric, used, amount, now), tenant, metric, amount, now, cancellationToken);
        }
        await using var db = contexts.CreateDbContext();
        var current = (shared.IsAvailable ? stateCache?.TryGet(tenantId) : null)
            ?? await db.Tenants.AsNoTracking().Include(t => t.QuotaOverrides).SingleAsync(t => t.Id == tenantId, cancellationToken);
        var fromDatabase = metric == UsageMetric.Users
            ? await db.Members.CountAsync(cancellationToken)
            : await UsageMeter.UsedAsync(db, metric, PeriodMath.MonthStart(now), now, cancellationToken);
        return await WithinBudgetAsync(Decide(current, metric, fromDatabase, amount, now), current, metric, amount, now, cancellationToken);
    }

    // The month's counters from the running totals (Local: this process's; Redis: the shared ones), or null: the database's.
    private async ValueTask<(decimal ApiCalls, decimal GpuHours)?> RunningCountersAsync(Guid tenantId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (usageCache is not null && usageCache.TryGetUsed(tenantId, UsageMetric.ApiCalls, now, out var apiCalls)
            && usageCache.TryGetUsed(tenantId, UsageMetric.GpuHours, now, out var gpuHours))
            return (apiCalls, gpuHours);
        if (sharedTotals is { IsAvailable: true }
            && await sharedTotals.UsedAsync(contexts, tenantId, UsageMetric.ApiCalls, now, cancellationToken) is { } sharedApiCalls
            && await sharedTotals.UsedAsync(contexts, tenantId, UsageMetric.GpuHours, now, cancellationToken) is { } sharedGpuHours)
            return (sharedApiCalls, sharedGpuHours);
        return null;
    }

    private async Task<Tenant> LoadTenantAsync(PortalDbContext db, Guid tenantId, CancellationToken cancellationToken)
    {
        var ticket = stateCache?.BeginLoad(tenantId);
        var tenant = await db.Tenants.AsNoTracking().Include(t => t.QuotaOverrides).SingleAsync(t => t.Id == tenantId, cancellationToken);
        if (ticket is { } t)
            stateCache!.CompleteLoad(tenantId, t, tenant);
        return tenant;
    }

    private async Task<decimal> UsedAsync(PortalDbContext db, Guid tenantId, UsageMetric metric, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (metric == UsageMetric.Users)
            return await db.Members.CountAsync(cancellationToken);
        if (usageCache is null)
            return await UsageMeter.UsedAsync(db, metric, PeriodMath.MonthStart(now), now, cancellationToken);
        if (usageCache.TryGetUsed(tenantId, metric, now, out var used))
            return used;
        var ticket = usageCache.BeginLoad(tenantId);
        var totals = await UsageMeter.TotalsAsync(db, PeriodMath.MonthStart(now), now, commitBarrier, cancellationToken);
        // Read before handing the totals over: once cached, ingestions update them under the cache's lock. Kept only if
        // no ingestion for the tenant was stored meanwhile; either way this check answers from what it loaded.
        var loaded = totals.Used(metric, now);
        usageCache.CompleteLoad(tenantId, ticket, totals);
        return loaded;
    }

    /// <summary>The decision for a tenant, its use so far and an amount (pure: no I/O).</summary>
    public static QuotaDecision Decide(Tenant tenant, UsageMetric metric, decimal used, decimal amount, DateTimeOffset now)
    {
        var resetsAt = PeriodMath.MonthStart(now).AddMonths(1);
        var limit = PlanCatalog.EffectiveLimit(tenant.Tier, metric, tenant.QuotaOverrides);
        var unlimited = limit == PlanCatalog.Unlimited;
        var remaining = unlimited ? (decimal?)null : Math.Max(0, limit - used);
        var over = !unlimited && used + amount > limit;
        var overageAllowed = PlanCatalog.For(tenant.Tier).AllowsOverage(metric);

        var denial = StatusDenial(tenant, now) ?? (over && !overageAllowed ? QuotaDenial.QuotaExceeded : null);
        return new QuotaDecision(denial is null, used, limit, remaining, resetsAt, over && denial is null, denial);
    }

    // The tenant's state first: an ended trial, a suspension (of any reason) or a cancellation denies whatever the quota.
    private static string? StatusDenial(Tenant tenant, DateTimeOffset now) => tenant.Status switch
    {
        _ when tenant.IsTrialExpired(now) => QuotaDenial.TrialExpired,
        TenantStatus.Suspended => QuotaDenial.Suspended,
        TenantStatus.Cancelled when tenant.IsHeldByOperator => QuotaDenial.Suspended,
        TenantStatus.Cancelled => QuotaDenial.Cancelled,
        _ => null,
    };
}
