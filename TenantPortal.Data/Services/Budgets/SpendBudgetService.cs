using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Services.Operations;

namespace TenantPortal.Data.Services.Budgets;

/// <summary>
/// The current tenant's monthly spend budget on overage: read it with the period's overage cost so far (Admin; an API key
/// with billing:read), set or remove it (Owner; billing:write), each change audited with the old and new values. The
/// rules are the tenant's own (<see cref="Tenant.SetSpendBudget"/>); the quota check enforces a blocking budget and the
/// quota alert job alerts at 50, 80 and 100 %. Operators read any tenant's.
/// </summary>
public sealed class SpendBudgetService(
    IDbContextFactory<PortalDbContext> contexts,
    ITenantContext tenantContext,
    IServiceScopeFactory scopes,
    AuditWriter audit,
    TimeProvider time)
{
    /// <summary>The budget and the period's overage against it (Admin).</summary>
    public async Task<Result<SpendBudgetStatus>> GetAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewBilling, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var tenant = await db.Tenants.AsNoTracking().Include(t => t.QuotaOverrides).SingleAsync(t => t.Id == gate.Value.TenantId, cancellationToken);
        return await StatusAsync(db, tenant, gate.Value.Role, cancellationToken);
    }

    /// <summary>Sets (or changes) the budget and its action (Owner); answers the status after the change.</summary>
    public async Task<Result<SpendBudgetStatus>> SetAsync(Actor actor, long amountCents, BudgetAction action, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageSubscription, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var tenant = await db.Tenants.Include(t => t.QuotaOverrides).SingleAsync(t => t.Id == gate.Value.TenantId, cancellationToken);
        var before = Describe(tenant);
        var changed = tenant.SetSpendBudget(amountCents, action);
        if (!changed.IsSuccess)
            return changed.Error;
        if (changed.Value)
        {
            audit.Record(db, tenant.Id, actor, AuditActions.BudgetChanged, "budget", $"{before} → {Describe(tenant)}");
            var saved = await SaveAsync(db, tenant, cancellationToken);
            if (!saved.IsSuccess)
                return saved.Error;
        }
        return await StatusAsync(db, tenant, gate.Value.Role, cancellationToken);
    }

    /// <summary>Removes the budget (Owner). Removing none is a success that changes nothing.</summary>
    public async Task<Result> RemoveAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageSubscription, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var tenant = await db.Tenants.SingleAsync(t => t.Id == gate.Value.TenantId, cancellationToken);
        var before = Describe(tenant);
        if (!tenant.RemoveSpendBudget())
            return Result.Success();
        audit.Record(db, tenant.Id, actor, AuditActions.BudgetChanged, "budget", $"{before} → {Describe(tenant)}");
        return await SaveAsync(db, tenant, cancellationToken);
    }

    /// <summary>Any tenant's budget and its period's overage (Operator, read-only).</summary>
    public async Task<Result<SpendBudgetStatus>> GetForOperatorAsync(Actor actor, Guid tenantId, CancellationToken cancellationToken)
    {
        using (tenantContext.BeginCrossTenantScope("operator reading one tenant's spend budget"))
        {
            await using var db = contexts.CreateDbContext();
            if (!await OperatorRole.IsOperatorAsync(db, actor, cancellationToken))
                return Error.Forbidden("Only operators can do this.");
            if (!await db.Tenants.AnyAsync(t => t.Id == tenantId, cancellationToken))
                return Error.NotFound("That tenant was not found.");
        }
        // The period's usage is read through the tenant filter, in a scope working for the tenant (as its Usage tab reads it).
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(tenantId);
        await using var tenantDb = scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        var tenant = await tenantDb.Tenants.AsNoTracking().Include(t => t.QuotaOverrides).SingleAsync(t => t.Id == tenantId, cancellationToken);
        return await StatusAsync(tenantDb, tenant, TenantRole.Admin, cancellationToken);
    }

    /// <summary>The period's overage cost so far for the current tenant: the overage lines of the running estimate.</summary>
    internal static async Task<long> OverageSoFarAsync(PortalDbContext db, Tenant tenant, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var usage = await UsageMeter.PeriodUsageAsync(db, PeriodMath.MonthStart(now), now, cancellationToken);
        return SpendBudgets.OverageCents(PlanCatalog.For(tenant.Tier), usage, tenant.QuotaOverrides);
    }

    /// <summary>The audit target of a budget alert: one per threshold; the period is the month the entry was written in.</summary>
    public static string AlertTarget(int threshold) => string.Create(CultureInfo.InvariantCulture, $"budget:{threshold}");

    private async Task<SpendBudgetStatus> StatusAsync(PortalDbContext db, Tenant tenant, TenantRole role, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var periodStart = PeriodMath.MonthStart(now);
        var overage = await OverageSoFarAsync(db, tenant, now, cancellationToken);
        var targets = await db.AuditEntries.AsNoTracking()
            .Where(a => a.TenantId == tenant.Id && a.Action == AuditActions.BudgetAlertFired && a.OccurredAt >= periodStart && a.OccurredAt < periodStart.AddMonths(1))
            .Select(a => a.Target).ToListAsync(cancellationToken);
        var sent = SpendBudgets.AlertThresholds.Where(t => targets.Contains(AlertTarget(t))).ToList();
        return new SpendBudgetStatus(tenant.SpendBudgetCents, tenant.SpendBudgetAction, periodStart, periodStart.AddMonths(1), overage,
            tenant.SpendBudgetCents is { } budget ? SpendBudgets.Percent(overage, budget) : null, sent,
            PlanCatalog.For(tenant.Tier).OverageBilled, role);
    }

    private static string Describe(Tenant tenant) => tenant.SpendBudgetCents is { } cents
        ? $"{Money.Format(cents)} ({tenant.SpendBudgetAction?.ToString().ToLowerInvariant()})"
        : "no budget";

    private static async Task<Result> SaveAsync(PortalDbContext db, Tenant tenant, CancellationToken cancellationToken)
    {
        tenant.ConcurrencyStamp = Guid.NewGuid();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return Result.Success();
        }
        catch (DbUpdateConcurrencyException)
        {
            return new Error(ErrorCodes.ConcurrencyConflict, "The tenant changed meanwhile. Reload and try again.");
        }
    }
}
