using TenantPortal.Data.Services.Billing.Credits;
using TenantPortal.Data.Services.Notifications;

namespace TenantPortal.Web.Jobs;

/// <summary>
/// The <c>quota-alerts</c> recurring job: fires the 80/90/100 % quota alerts and the credits' low-balance alerts. Safe to run twice, concurrently or late,
/// because <see cref="QuotaAlertService"/> lets the database decide what has fired.
/// </summary>
public sealed class QuotaAlertsJob(QuotaAlertService alerts, CreditAlertService creditAlerts, ILogger<QuotaAlertsJob> logger)
{
    /// <summary>The recurring job id.</summary>
    public const string Id = "quota-alerts";

    /// <summary>Every 5 minutes.</summary>
    public const string Cron = "*/5 * * * *";

    /// <summary>Checks every tenant; Hangfire passes its shutdown token.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var summary = await alerts.RunAsync(cancellationToken);
        logger.LogInformation("Quota alerts: {Tenants} tenants checked, {Alerts} alerts fired, {Notices} notices, {Emails} emails",
            summary.Tenants, summary.AlertsFired, summary.NoticesCreated, summary.EmailsSent);
        // The low-balance alert's pass: catches balances that fell below the threshold because grants expired.
        var lowBalance = await creditAlerts.RunAsync(cancellationToken);
        if (lowBalance > 0)
            logger.LogInformation("Credit alerts: {Fired} low-balance alerts fired", lowBalance);
    }
}
