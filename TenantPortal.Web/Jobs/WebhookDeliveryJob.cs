using Hangfire;
using TenantPortal.Data.Services.Webhooks;

namespace TenantPortal.Web.Jobs;

/// <summary>
/// One attempt of a webhook delivery. Hangfire's own retries are off: a failed attempt is recorded and rescheduled by
/// <see cref="WebhookSender"/> on the webhook schedule, and a job that finds the delivery not due or claimed does nothing.
/// </summary>
public sealed class WebhookDeliveryJob(WebhookSender sender)
{
    /// <summary>Attempts the delivery; Hangfire passes its shutdown token.</summary>
    [AutomaticRetry(Attempts = 0)]
    public Task SendAsync(Guid deliveryId, CancellationToken cancellationToken) => sender.SendAsync(deliveryId, cancellationToken);
}
