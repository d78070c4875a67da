using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Members;
using TenantPortal.Core.Common;
using TenantPortal.Core.Notifications;
using TenantPortal.Core.Quotas;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Budgets;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Data.Services.Notifications;

/// <summary>
/// Fires the 80/90/100 % quota alerts: for every tenant and every metric with a finite quota, each threshold the
/// running period has reached becomes an in-app notice for every Owner and Admin, an email to each of them (unless the
/// tenant turned quota emails off) and an audit entry, once per metric, period and threshold. A tenant with a spend
/// budget gets the 50/80/100 % budget alerts the same way, once per period and threshold, from the overage cost of the
/// same running estimate.
/// </summary>
/// <remarks>
/// The database decides what has fired: the notices of one alert carry the same deduplication key and are inserted in
/// one transaction with its audit entry, so a repeated or concurrent run hits the unique (UserId, DeduplicationKey)
/// index and treats that as "already fired". Email goes out only after the insert succeeded.
/// </remarks>
public sealed class QuotaAlertService(
    TenantJobRunner runner,
    IDbContextFactory<PortalDbContext> contexts,
    ITenantContext tenantContext,
    UsageReportService reports,
    IMailSender mail,
    IPortalAddresses portal,
    AuditWriter audit,
    IEnumerable<IUsageReportObserver> observers,
    TimeProvider time,
    ILogger<QuotaAlertService> logger)
{

    /// <summary>The deduplication key of an alert: one per tenant, metric, period (yyyy-MM) and threshold.</summary>
    public static string DeduplicationKey(Guid tenantId, UsageMetric metric, DateTimeOffset periodStart, int threshold) =>
        string.Create(CultureInfo.InvariantCulture, $"quota:{tenantId}:{UsageMetrics.Name(metric)}:{periodStart:yyyy-MM}:{threshold}");

    /// <summary>The deduplication key of a spend budget alert: one per tenant, period (yyyy-MM) and threshold.</summary>
    public static string BudgetDeduplicationKey(Guid tenantId, DateTimeOffset periodStart, int threshold) =>
        string.Create(CultureInfo.InvariantCulture, $"budget:{tenantId}:{periodStart:yyyy-MM}:{threshold}");

    /// <summary>
    /// Checks every tenant, each in a DI scope of its own working for that tenant. A failing tenant does not stop the
    /// others; the run throws at the end so that the job is retried (which is safe: what fired is in the database).
    /// </summary>
    public async Task<QuotaAlertSummary> RunAsync(CancellationToken cancellationToken)
    {
        List<Guid> tenantIds;
        using (tenantContext.BeginCrossTenantScope("quota alerts: list every tenant"))
        {
            await using var db = contexts.CreateDbContext();
            tenantIds = await db.Tenants.AsNoTracking().OrderBy(t => t.Slug).Select(t => t.Id).ToListAsync(cancellationToken);
        }

        var results = await runner.ForEachAsync("Quota alerts", tenantIds,
            (services, ct) => services.GetRequiredService<QuotaAlertService>().CheckCurrentTenantAsync(ct), cancellationToken);
        return results.Aggregate(QuotaAlertSummary.None, (sum, r) => sum + r);
    }

    /// <summary>Fires the alerts of the current tenant that are due and have not fired yet.</summary>
    public async Task<QuotaAlertSummary> CheckCurrentTenantAsync(CancellationToken cancellationToken)
    {
        var tenantId = tenantContext.TenantId ?? throw new InvalidOperationException("Quota alerts need a current tenant.");
        var report = await reports.CurrentAsync(cancellationToken);
        foreach (var observer in observers)
            observer.Observe(tenantId, report);
        var due = (
            from m in report.Metrics
            let highest = QuotaCalculator.HighestThresholdReached(m.Percentage)
            where highest is not null
            from threshold in QuotaCalculator.AlertThresholds
            where threshold <= highest
            select new DueAlert(m, threshold, DeduplicationKey(tenantId, m.Metric, report.PeriodStart, threshold))).ToList();

        Tenant tenant;
        List<Recipient> recipients;
        HashSet<string?> fired;
        await using (var db = contexts.CreateDbContext())
        {
            tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == tenantId, cancellationToken);
            // The budget's alerts: the overage cost of the same estimate against the tenant's budget, if it has one.
            if (tenant.SpendBudgetCents is { } budget)
            {
                var overage = report.Metrics.Sum(m => m.OverageCents);
                due.AddRange(SpendBudgets.ThresholdsReached(overage, budget).Select(threshold =>
                    new DueAlert(null, threshold, BudgetDeduplicationKey(tenantId, report.PeriodStart, threshold)) { Overage = (overage, budget) }));
            }
            if (due.Count == 0)
                return QuotaAlertSummary.None with { Tenants = 1 };
            recipients = await (
                from member in db.Members
                where member.Role == TenantRole.Owner || member.Role == TenantRole.Admin
                join user in db.Users on member.UserId equals user.Id
                orderby user.Email
                select new Recipient(user.Id, user.Email)).ToListAsync(cancellationToken);
            if (recipients.Count == 0)
                return QuotaAlertSummary.None with { Tenants = 1 };
            // A cheap look first, so that the unique index only has to settle real races (and EF Core logs no error
            // for every alert that fired in an earlier run).
            var keys = due.Select(d => (string?)d.Key).ToList();
            var userIds = recipients.Select(r => r.UserId).ToList();
            fired = (await db.Notifications.AsNoTracking()
                .Where(n => keys.Contains(n.DeduplicationKey) && userIds.Contains(n.UserId))
                .Select(n => n.DeduplicationKey).Distinct().ToListAsync(cancellationToken)).ToHashSet();
        }

        var summary = QuotaAlertSummary.None with { Tenants = 1 };
        foreach (var alert in due.Where(d => !fired.Contains(d.Key)))
        {
            if (!await TryRecordAsync(tenant, alert, recipients, report.PeriodStart, cancellationToken))
                continue;
            logger.LogInformation("Quota alert {Key} fired for {Recipients} recipients", alert.Key, recipients.Count);
            var sent = tenant.Settings.EmailQuotaAlerts ? await EmailAsync(tenant, alert, recipients, report.PeriodStart, cancellationToken) : 0;
            summary += new QuotaAlertSummary(0, 1, recipients.Count, sent);
        }
        return summary;
    }

    // Inserts the alert's notices and its audit entry in one transaction; false when another run got there first.
    private async Task<bool> TryRecordAsync(Tenant tenant, DueAlert alert, IReadOnlyList<Recipient> recipients, DateTimeOffset periodStart,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (title, message) = Describe(tenant, alert, periodStart);
        await using var db = contexts.CreateDbContext();
        foreach (var recipient in recipients)
        {
            db.Notifications.Add(new Notification
            {
                UserId = recipient.UserId,
                TenantId = tenant.Id,
                Title = title,
                Message = message,
                Link = alert.Link(tenant),
                Severity = alert.Threshold switch { >= 100 => NotificationSeverity.Error, >= 80 when alert.Metric is null => NotificationSeverity.Warning,
                    >= 90 => NotificationSeverity.Warning, _ => NotificationSeverity.Info },
                DeduplicationKey = alert.Key,
                CreatedAt = now,
            });
        }
        if (alert.Metric is { } metric)
            audit.RecordSystem(db, tenant.Id, AuditActions.QuotaAlertFired, $"quota:{UsageMetrics.Name(metric.Metric)}",
                $"{alert.Threshold} % reached in {periodStart:yyyy-MM} ({FormatPercent(metric.Percentage)} used); notified {recipients.Count} owners and admins");
        else
            audit.RecordSystem(db, tenant.Id, AuditActions.BudgetAlertFired, SpendBudgetService.AlertTarget(alert.Threshold),
                $"{alert.Threshold} % of the {Money.Format(alert.Overage.Budget)} budget reached in {periodStart:yyyy-MM} " +
                $"({Money.Format(alert.Overage.Cents)} overage); notified {recipients.Count} owners and admins");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            logger.LogDebug("Quota alert {Key} was fired by a concurrent run", alert.Key);
            return false;
        }
    }

    private async Task<int> EmailAsync(Tenant tenant, DueAlert alert, IReadOnlyList<Recipient> recipients, DateTimeOffset periodStart,
        CancellationToken cancellationToken)
    {
        var (title, message) = Describe(tenant, alert, periodStart);
        var subject = $"[{tenant.Name}] {title}";
        // An email needs the whole address: the portal's public one, from configuration.
        var link = portal.Link(alert.Link(tenant)).AbsoluteUri;
        var text = $"{message}\n\nSee the usage of {tenant.Name} in TenantPortal: {link}\n\n" +
                   "You receive this because you are an owner or admin of the tenant. Admins can turn quota emails off in the tenant's settings.\n";
        var html = $"<p>{WebUtility.HtmlEncode(message)}</p><p>See the usage of <b>{WebUtility.HtmlEncode(tenant.Name)}</b> in TenantPortal: " +
                   $"<a href=\"{WebUtility.HtmlEncode(link)}\">{WebUtility.HtmlEncode(link)}</a></p><p>You receive this because you are an owner or admin of the tenant. " +
                   "Admins can turn quota emails off in the tenant's settings.</p>";
        var sent = 0;
        foreach (var recipient in recipients.Where(r => !string.IsNullOrWhiteSpace(r.Email)))
        {
            try
            {
                await mail.SendAsync(new OutgoingEmail(recipient.Email!, subject, text, html), cancellationToken);
                sent++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The alert has fired (the notice is stored); retrying the run would not resend, so the loss is logged.
                logger.LogWarning(ex, "Quota alert {Key} could not be emailed to {Email}", alert.Key, recipient.Email);
            }
        }
        return sent;
    }

    private static (string Title, string Message) Describe(Tenant tenant, DueAlert alert, DateTimeOffset periodStart)
    {
        if (alert.Metric is not { } m)
        {
            var (cents, budget) = alert.Overage;
            var blocks = tenant.SpendBudgetAction == BudgetAction.Block;
            return (alert.Threshold >= 100 ? "Spend budget reached" : $"Overage at {alert.Threshold} % of the spend budget",
                string.Create(CultureInfo.InvariantCulture,
                    $"{tenant.Name} has {Money.Format(cents)} of overage in {periodStart:MMMM yyyy}, {FormatPercent(SpendBudgets.Percent(cents, budget))} of its " +
                    $"{Money.Format(budget)} monthly budget.") +
                (blocks ? alert.Threshold >= 100 ? " Quota checks that would add overage are now refused until the period resets." : " At 100 % quota checks that would add overage are refused." : ""));
        }
        var name = UsageMetrics.DisplayName(m.Metric);
        var title = alert.Threshold >= 100 ? $"{name} quota reached" : $"{name} at {alert.Threshold} % of quota";
        var message = string.Create(CultureInfo.InvariantCulture,
            $"{tenant.Name} has used {m.Used:#,0.##} of {m.Limit:#,0.##} {UsageMetrics.Unit(m.Metric)} ({FormatPercent(m.Percentage)}) " +
            $"in {periodStart:MMMM yyyy}.");
        return (title, message);
    }

    private static string FormatPercent(decimal? percentage) =>
        string.Create(CultureInfo.InvariantCulture, $"{percentage ?? 0:0.#} %");

    private static string UsageLink(Tenant tenant) => $"/t/{tenant.Slug}/usage";

    // A due alert: a metric's quota threshold, or (Metric null) a threshold of the spend budget with the overage and budget.
    private sealed record DueAlert(MetricReport? Metric, int Threshold, string Key)
    {
        public (long Cents, long Budget) Overage { get; init; }

        public string Link(Tenant tenant) => Metric is null ? $"/t/{tenant.Slug}/billing" : UsageLink(tenant);
    }

    private sealed record Recipient(string UserId, string? Email);
}
