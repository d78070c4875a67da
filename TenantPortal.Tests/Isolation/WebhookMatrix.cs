using TenantPortal.Core.Common;
using TenantPortal.Core.Webhooks;
using TenantPortal.Data.Services;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Isolation;

/// <summary>
/// The webhook services of the service matrix: alpha gets the <c>webhooks</c> feature (it is on Starter), an endpoint, and
/// a delivery of an event, arranged before the operation as the owner (and, for beta's owner, beta gets the feature too,
/// so that what refuses alpha's rows is the tenant filter, not the plan).
/// </summary>
internal static class WebhookMatrix
{
    public sealed record Arranged(TenantPortal.Data.Services.Webhooks.WebhookEndpointService Endpoints,
        TenantPortal.Data.Services.Webhooks.WebhookDeliveryService Deliveries, Guid EndpointId, Guid DeliveryId);

    public static async Task<Arranged> ArrangeAsync(TenancyTestBed.Scope scope, TenancyTestBed bed)
    {
        var services = new WebhookTestServices(bed);
        await services.EntitleAsync(bed.AlphaId);
        await services.EntitleAsync(bed.BetaId);
        var created = await services.Endpoints(bed.In(bed.AlphaId)).CreateAsync(bed.ActorOf("owner"),
            new TenantPortal.Data.Services.Webhooks.WebhookEndpointInput("https://hooks.example.invalid/alpha", null, [WebhookEventTypes.AuditEntry]), CancellationToken.None);
        var delivery = new WebhookDelivery
        {
            TenantId = bed.AlphaId, EndpointId = created.Value.Endpoint.Id, EventId = WebhookEvent.NewId(), EventType = WebhookEventTypes.AuditEntry,
            Status = WebhookDeliveryStatus.Succeeded, Attempts = 1, CreatedAt = bed.Time.GetUtcNow(),
        };
        await using (var db = bed.Database.CrossTenant())
        {
            db.WebhookEvents.Add(new WebhookEvent { Id = delivery.EventId, TenantId = bed.AlphaId, Type = delivery.EventType, Payload = "{}", OccurredAt = delivery.CreatedAt, DispatchedAt = delivery.CreatedAt });
            db.WebhookDeliveries.Add(delivery);
            await db.SaveChangesAsync();
        }
        return new Arranged(services.Endpoints(scope), services.Deliveries(scope), created.Value.Endpoint.Id, delivery.Id);
    }

    public static async Task<Result> IsEntitledAsync(TenancyTestBed.Scope scope, Actor actor, TenancyTestBed bed)
    {
        var arranged = await ArrangeAsync(scope, bed);
        // A bool, not a result: true for the roles that see webhooks; below Admin and for outsiders, the gate's refusal.
        if (await arranged.Endpoints.IsEntitledAsync(actor, CancellationToken.None))
            return Result.Success();
        return await arranged.Endpoints.ListAsync(actor, CancellationToken.None);
    }

    public static async Task<Result> OnEndpointAsync<T>(TenancyTestBed.Scope scope, TenancyTestBed bed, Func<Arranged, Guid, Task<T>> operation) where T : Result
    {
        var arranged = await ArrangeAsync(scope, bed);
        return await operation(arranged, arranged.EndpointId);
    }

    public static async Task<Result> OnDeliveryAsync<T>(TenancyTestBed.Scope scope, TenancyTestBed bed, Func<Arranged, Guid, Task<T>> operation) where T : Result
    {
        var arranged = await ArrangeAsync(scope, bed);
        return await operation(arranged, arranged.DeliveryId);
    }
}
