using Hangfire;
using TenantPortal.Data.Services.Webhooks;

namespace TenantPortal.Web.Jobs;

/// <summary>Webhook work as Hangfire jobs: a dispatch enqueued on a nudge, each delivery attempt enqueued or scheduled.</summary>
public sealed class HangfireWebhookJobs(IBackgroundJobClient jobs, ILogger<HangfireWebhookJobs> logger) : IWebhookJobs
{
    /// <inheritdoc />
    public void NudgeDispatch()
    {
        // The save has happened: a storage hiccup here must not fail it; the minute's run dispatches anyway.
        try
        {
            jobs.Enqueue<WebhookDispatchJob>(j => j.RunAsync(CancellationToken.None));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning(e, "Could not enqueue a webhook dispatch; the recurring job will run it");
        }
    }

    /// <inheritdoc />
    public void Deliver(Guid deliveryId) => jobs.Enqueue<WebhookDeliveryJob>(j => j.SendAsync(deliveryId, CancellationToken.None));

    /// <inheritdoc />
    public void Deliver(Guid deliveryId, DateTimeOffset at) => jobs.Schedule<WebhookDeliveryJob>(j => j.SendAsync(deliveryId, CancellationToken.None), at);
}
