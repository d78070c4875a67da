using TenantPortal.Data.Services.Billing.Webhooks;

namespace TenantPortal.Web.Jobs;

/// <summary>
/// The <c>stripe-inbox-retry</c> recurring job: processes again the Stripe webhook events whose processing failed (or
/// was interrupted), oldest first, so an event that arrived before its tenant was linked is applied once it can be.
/// </summary>
public sealed class StripeInboxRetryJob(StripeWebhookService webhooks, ILogger<StripeInboxRetryJob> logger)
{
    /// <summary>The recurring job id.</summary>
    public const string Id = "stripe-inbox-retry";

    /// <summary>Every 10 minutes.</summary>
    public const string Cron = "*/10 * * * *";

    /// <summary>Retries what failed; Hangfire passes its shutdown token.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var receipts = await webhooks.RetryFailedAsync(cancellationToken);
        if (receipts.Count > 0)
            logger.LogInformation("Stripe inbox retry: {Count} event(s) processed again", receipts.Count);
    }
}
