using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Notifications;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Audit;

namespace TenantPortal.Data.Services.Billing;

/// <summary>
/// The dunning job's work. On the ledger, an Active tenant with an Open invoice past its due date becomes PastDue (with
/// Stripe a failed payment does that, by webhook). A PastDue tenant still unpaid <c>Billing:DunningDays</c> after it
/// became PastDue is Suspended. The owners are told each time, once.
/// </summary>
public sealed class DunningService(
    TenantJobRunner runner,
    IDbContextFactory<PortalDbContext> contexts,
    ITenantContext tenantContext,
    BillingNotifier notifier,
    AuditWriter audit,
    IOptions<BillingOptions> billing,
    TimeProvider time)
{
    /// <summary>Looks at every tenant with an overdue ledger invoice or in dunning; returns (now PastDue, now Suspended).</summary>
    public async Task<(int PastDue, int Suspended)> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<Guid> ids;
        using (tenantContext.BeginCrossTenantScope("dunning: tenants with overdue invoices or past due"))
        {
            await using var db = contexts.CreateDbContext();
            ids = await db.Tenants.AsNoTracking()
                .Where(t => t.Status == TenantStatus.PastDue
                    || (t.Status == TenantStatus.Active && t.Tier != SubscriptionTier.Free && db.Invoices.Any(i => i.TenantId == t.Id && i.Status == InvoiceStatus.Open
                        && i.StripeInvoiceId == null && i.DueAt <= now)))
                .OrderBy(t => t.Slug).Select(t => t.Id).ToListAsync(cancellationToken);
        }
        var steps = await runner.ForEachAsync("Dunning", ids,
            (services, ct) => services.GetRequiredService<DunningService>().CheckCurrentTenantAsync(ct), cancellationToken);
        return (steps.Count(s => s == TenantStatus.PastDue), steps.Count(s => s == TenantStatus.Suspended));
    }

    /// <summary>Moves the current tenant along dunning when due; returns the status it moved to, or null.</summary>
    public async Task<TenantStatus?> CheckCurrentTenantAsync(CancellationToken cancellationToken)
    {
        var tenantId = tenantContext.TenantId ?? throw new InvalidOperationException("Dunning needs a current tenant.");
        var now = time.GetUtcNow();
        await using var db = contexts.CreateDbContext();
        var tenant = await db.Tenants.SingleAsync(t => t.Id == tenantId, cancellationToken);

        if (tenant.Status == TenantStatus.Active)
        {
            var overdue = await db.Invoices.AsNoTracking()
                .Where(i => i.Status == InvoiceStatus.Open && i.StripeInvoiceId == null && i.DueAt <= now)
                .OrderBy(i => i.DueAt).FirstOrDefaultAsync(cancellationToken);
            if (overdue is null)
                return null;
            if (!tenant.MarkPastDue(overdue.DueAt, now).IsSuccess)
                return null;
            tenant.ConcurrencyStamp = Guid.NewGuid();
            audit.RecordSystem(db, tenant.Id, AuditActions.BillingStatusChanged, $"tenant:{tenant.Slug}",
                $"PastDue: invoice {overdue.Number} ({Money.Format(overdue.TotalCents)}) was due {Day(overdue.DueAt)}");
            await db.SaveChangesAsync(cancellationToken);
            await notifier.NotifyAsync(tenant, new BillingNotice($"billing:payment_overdue:{overdue.Number}", $"Invoice {overdue.Number} is overdue",
                $"Invoice {overdue.Number} of {Money.Format(overdue.TotalCents)} was due on {Day(overdue.DueAt)} and is not paid. " +
                $"Unless it is settled, {tenant.Name} is suspended on {Day(overdue.DueAt.AddDays(billing.Value.DunningDays))}.",
                NotificationSeverity.Error), cancellationToken);
            return TenantStatus.PastDue;
        }

        if (tenant.PastDueSince is not { } since || !tenant.SuspendForNonPayment(TimeSpan.FromDays(billing.Value.DunningDays), now).IsSuccess)
            return null;
        tenant.ConcurrencyStamp = Guid.NewGuid();
        audit.RecordSystem(db, tenant.Id, AuditActions.BillingStatusChanged, $"tenant:{tenant.Slug}",
            $"Suspended: unpaid since {Day(since)}, past the {billing.Value.DunningDays}-day grace period");
        await db.SaveChangesAsync(cancellationToken);
        await notifier.NotifyAsync(tenant, new BillingNotice(
            string.Create(CultureInfo.InvariantCulture, $"billing:suspended:{tenant.Id}:{since.UtcDateTime:yyyyMMddHHmmss}"),
            "Workspace suspended for non-payment",
            $"{tenant.Name} is suspended: a payment has been outstanding since {Day(since)}. Quota checks are refused until the open invoice is paid; usage reported meanwhile is still recorded.",
            NotificationSeverity.Error), cancellationToken);
        return TenantStatus.Suspended;
    }

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
}
