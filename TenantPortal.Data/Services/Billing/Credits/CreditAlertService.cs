using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Billing.Credits;
using TenantPortal.Core.Common;
using TenantPortal.Core.Notifications;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Audit;

namespace TenantPortal.Data.Services.Billing.Credits;

/// <summary>
/// The low-balance alert: when a tenant's credit balance is below its owner's threshold, the owners (and the billing
/// email) get an email and an in-app notice, once per crossing (<see cref="CreditAccount.Evaluate"/>; the crossing's number
/// is part of the notice key, so a repeated evaluation never sends twice). It is evaluated where the balance changes: after
/// an invoice consumed credits, after a grant, a purchase or a revocation, when the threshold changes, and by the
/// <c>quota-alerts</c> job's pass over every tenant with a threshold, which catches grants that expired.
/// </summary>
public sealed class CreditAlertService(
    IDbContextFactory<PortalDbContext> contexts,
    ITenantContext tenantContext,
    BillingNotifier notifier,
    AuditWriter audit,
    TimeProvider time,
    ILogger<CreditAlertService> logger)
{
    /// <summary>The notice key of a tenant's <paramref name="crossing"/>-th alert.</summary>
    public static string NoticeKey(Guid tenantId, int crossing) => $"credits:low_balance:{tenantId}:{crossing}";

    /// <summary>Evaluates every tenant with a threshold (the job pass). Returns how many alerts fired.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        List<Guid> tenantIds;
        using (tenantContext.BeginCrossTenantScope("credit alerts: list the tenants with a low-balance threshold"))
        {
            await using var db = contexts.CreateDbContext();
            tenantIds = await db.CreditAccounts.AsNoTracking().Where(a => a.LowBalanceThresholdCents != null)
                .OrderBy(a => a.TenantId).Select(a => a.TenantId).ToListAsync(cancellationToken);
        }
        var fired = 0;
        foreach (var tenantId in tenantIds)
        {
            if (await EvaluateAsync(tenantId, cancellationToken))
                fired++;
        }
        return fired;
    }

    /// <summary>Evaluates one tenant's balance against its threshold now; true when the alert fired.</summary>
    public async Task<bool> EvaluateAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        Tenant tenant;
        CreditAccount account;
        long balance;
        await using (var db = contexts.CreateDbContext())
        {
            using var _ = db.BeginCrossTenantScope("credit alert: the tenant selected by its id");
            var found = await db.CreditAccounts.SingleOrDefaultAsync(a => a.TenantId == tenantId, cancellationToken);
            if (found is not { LowBalanceThresholdCents: { } threshold })
                return false;
            account = found;
            var now = time.GetUtcNow();
            var grants = await db.CreditGrants.AsNoTracking().Where(g => g.TenantId == tenantId && g.RevokedAt == null && g.RemainingCents > 0)
                .ToListAsync(cancellationToken);
            balance = CreditAllocator.Balance(grants, now);
            var fires = account.Evaluate(balance, now);
            if (db.ChangeTracker.HasChanges() is false)
                return false;
            tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == tenantId, cancellationToken);
            if (fires)
                audit.RecordSystem(db, tenantId, AuditActions.CreditsLowBalance, "credits",
                    $"Balance {Money.Format(balance)} fell below the threshold of {Money.Format(threshold)}; owners notified");
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another evaluation of the same crossing got there first: it notifies.
                return false;
            }
            if (!fires)
                return false;
        }
        var notice = new BillingNotice(NoticeKey(tenantId, account.LowBalanceAlerts), "Credit balance is low",
            $"The prepaid credit balance of {tenant.Name} is {Money.Format(balance)}, below the {Money.Format(account.LowBalanceThresholdCents ?? 0)} you asked to be told about. Buy credits on the Billing tab to keep invoices covered.",
            NotificationSeverity.Warning);
        try
        {
            await notifier.NotifyAsync(tenant, notice, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Low-balance notice {Key} could not be stored", notice.Key);
        }
        return true;
    }
}
