using TenantPortal.Data.Services.Billing;

namespace TenantPortal.Web.Jobs;

/// <summary>The <c>dunning</c> recurring job: overdue ledger invoices make a tenant PastDue; unpaid past the grace period, Suspended.</summary>
public sealed class DunningJob(DunningService dunning, ILogger<DunningJob> logger)
{
    /// <summary>The recurring job id.</summary>
    public const string Id = "dunning";

    /// <summary>Daily at 05:00 UTC, after invoicing.</summary>
    public const string Cron = "0 5 * * *";

    /// <summary>Moves tenants along dunning; Hangfire passes its shutdown token.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var (pastDue, suspended) = await dunning.RunAsync(cancellationToken);
        logger.LogInformation("Dunning: {PastDue} now past due, {Suspended} suspended", pastDue, suspended);
    }
}
