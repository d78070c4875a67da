namespace TenantPortal.Data.Services.Webhooks;

/// <summary>Where webhook work is queued (Hangfire in the portal): dispatching events, and each delivery's attempts.</summary>
public interface IWebhookJobs
{
    /// <summary>Asks for a dispatch soon (after a save that wrote events); several asks may make one run.</summary>
    void NudgeDispatch();

    /// <summary>Queues an attempt of the delivery now.</summary>
    void Deliver(Guid deliveryId);

    /// <summary>Queues an attempt of the delivery at <paramref name="at"/>.</summary>
    void Deliver(Guid deliveryId, DateTimeOffset at);
}
