using TenantPortal.Data.Services.Webhooks;

namespace TenantPortal.Web.Jobs;

/// <summary>
/// The <c>webhook-dispatch</c> recurring job (and the nudge after a save that wrote events): turns the outbox's events into
/// deliveries and queues them, queues due retries, deletes expired events. Safe twice, concurrently or late (see
/// <see cref="WebhookDispatcher"/>).
/// </summary>
public sealed class WebhookDispatchJob(WebhookDispatcher dispatcher)
{
    /// <summary>The recurring job id.</summary>
    public const string Id = "webhook-dispatch";

    /// <summary>Every minute.</summary>
    public const string Cron = "* * * * *";

    /// <summary>Dispatches; Hangfire passes its shutdown token.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => dispatcher.DispatchAsync(cancellationToken);
}
