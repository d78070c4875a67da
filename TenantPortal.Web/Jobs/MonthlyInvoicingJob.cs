using TenantPortal.Data.Services.Billing;

namespace TenantPortal.Web.Jobs;

/// <summary>
/// The <c>monthly-invoicing</c> recurring job: one invoice per tenant and closed period once its grace window has
/// passed, missed periods caught up. Safe to run twice, concurrently or late: the (tenant, period) key decides.
/// </summary>
public sealed class MonthlyInvoicingJob(InvoicingService invoicing, ILogger<MonthlyInvoicingJob> logger)
{
    /// <summary>The recurring job id.</summary>
    public const string Id = "monthly-invoicing";

    /// <summary>Daily at 03:00 UTC.</summary>
    public const string Cron = "0 3 * * *";

    /// <summary>Invoices what is due; Hangfire passes its shutdown token.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var s = await invoicing.RunAsync(cancellationToken);
        logger.LogInformation("Monthly invoicing: {Tenants} tenants, {Issued} invoices ({Cents} cents, {Adjustments} late-usage lines), {NotIssued} left as drafts",
            s.Tenants, s.Issued, s.TotalCents, s.AdjustmentLines, s.NotIssued);
    }
}
