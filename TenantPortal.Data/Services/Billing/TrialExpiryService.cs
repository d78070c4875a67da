using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Notifications;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Audit;

namespace TenantPortal.Data.Services.Billing;

/// <summary>
/// The trial-expiry job's work: a reminder to the owners 3 days before a trial ends (once), and at the end, a tenant
/// still on its trial (no subscription) is Suspended: quota checks deny with <c>trial_expired</c>, the UI leads to
/// Billing, and usage reported meanwhile is still recorded.
/// </summary>
public sealed class TrialExpiryService(
    TenantJobRunner runner,
    IDbContextFactory<PortalDbContext> contexts,
    ITenantContext tenantContext,
    BillingNotifier notifier,
    AuditWriter audit,
    TimeProvider time)
{
    /// <summary>Days before the end of a trial that the reminder goes out.</summary>
    public const int ReminderDays = 3;

    /// <summary>Looks at every tenant on a trial that ends within the reminder window; returns (reminders, suspensions).</summary>
    public async Task<(int Reminded, int Suspended)> RunAsync(CancellationToken cancellationToken)
    {
        var horizon = time.GetUtcNow().AddDays(ReminderDays);
        List<Guid> ids;
        using (tenantContext.BeginCrossTenantScope("trial expiry: tenants whose trial ends soon"))
        {
            await using var db = contexts.CreateDbContext();
            ids = await db.Tenants.AsNoTracking()
                .Where(t => t.Status == TenantStatus.Trial && t.TrialEndsAt != null && t.TrialEndsAt <= horizon)
                .OrderBy(t => t.Slug).Select(t => t.Id).ToListAsync(cancellationToken);
        }
        var outcomes = await runner.ForEachAsync("Trial expiry", ids,
            (services, ct) => services.GetRequiredService<TrialExpiryService>().CheckCurrentTenantAsync(ct), cancellationToken);
        return (outcomes.Count(o => o == TrialStep.Reminded), outcomes.Count(o => o == TrialStep.Suspended));
    }

    /// <summary>What happened to the current tenant's trial.</summary>
    public enum TrialStep
    {
        /// <summary>Nothing due.</summary>
        None,
        /// <summary>The reminder went out.</summary>
        Reminded,
        /// <summary>The trial ended and the tenant was suspended.</summary>
        Suspended,
    }

    /// <summary>Sends the reminder or suspends the current tenant, when due.</summary>
    public async Task<TrialStep> CheckCurrentTenantAsync(CancellationToken cancellationToken)
    {
        var tenantId = tenantContext.TenantId ?? throw new InvalidOperationException("Trial expiry needs a current tenant.");
        var now = time.GetUtcNow();
        await using var db = contexts.CreateDbContext();
        var tenant = await db.Tenants.SingleAsync(t => t.Id == tenantId, cancellationToken);
        if (tenant is not { Status: TenantStatus.Trial, TrialEndsAt: { } end })
            return TrialStep.None;

        if (tenant.SuspendForTrialEnd(now).IsSuccess)
        {
            tenant.ConcurrencyStamp = Guid.NewGuid();
            audit.RecordSystem(db, tenant.Id, AuditActions.TrialExpired, $"tenant:{tenant.Slug}",
                string.Create(CultureInfo.InvariantCulture, $"trial of {tenant.Tier} ended {end.UtcDateTime:yyyy-MM-dd} without a subscription; suspended"));
            await db.SaveChangesAsync(cancellationToken);
            await notifier.NotifyAsync(tenant, new BillingNotice(
                string.Create(CultureInfo.InvariantCulture, $"billing:trial_expired:{tenant.Id}:{end.UtcDateTime:yyyyMMdd}"),
                "Your trial has ended",
                string.Create(CultureInfo.InvariantCulture, $"The trial of {tenant.Tier} for {tenant.Name} ended on {end.UtcDateTime:d MMMM yyyy}. The workspace is suspended: quota checks are refused until you choose a plan. Usage your services report meanwhile is still recorded."),
                NotificationSeverity.Error), cancellationToken);
            return TrialStep.Suspended;
        }

        if (end - now > TimeSpan.FromDays(ReminderDays) || !tenant.RecordTrialReminder(now).IsSuccess)
            return TrialStep.None;
        await db.SaveChangesAsync(cancellationToken);
        var days = Math.Max(1, (int)Math.Ceiling((end - now).TotalDays));
        await notifier.NotifyAsync(tenant, new BillingNotice(
            string.Create(CultureInfo.InvariantCulture, $"billing:trial_ending:{tenant.Id}:{end.UtcDateTime:yyyyMMdd}"),
            string.Create(CultureInfo.InvariantCulture, $"Your trial ends in {days} {(days == 1 ? "day" : "days")}"),
            string.Create(CultureInfo.InvariantCulture, $"The trial of {tenant.Tier} for {tenant.Name} ends on {end.UtcDateTime:d MMMM yyyy}. Choose a plan before then to keep the workspace running; without one it is suspended when the trial ends."),
            NotificationSeverity.Warning), cancellationToken);
        return TrialStep.Reminded;
    }
}
