using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TenantPortal.Core.Webhooks;

namespace TenantPortal.Data.Services.Webhooks;

/// <summary>
/// The <c>webhook-dispatch</c> job's work: turns undispatched events into deliveries (one per enabled endpoint subscribed to
/// the type and registered when the event happened) and queues them; drops events no endpoint wants; queues deliveries whose retry is due (in case a scheduled
/// job was lost); and deletes events older than <see cref="Retention"/> with their deliveries. Safe twice, concurrently
/// or late: an event is claimed (its <c>DispatchedAt</c> set where it was null) in the transaction that adds its deliveries,
/// and a delivery is unique per event and endpoint.
/// </summary>
public sealed class WebhookDispatcher(IDbContextFactory<PortalDbContext> contexts, IWebhookJobs jobs, TimeProvider time, ILogger<WebhookDispatcher> logger)
{
    /// <summary>How long events and their delivery log are kept.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    private const int BatchSize = 200;
    private const int DueBatch = 500;

    /// <summary>Dispatches every undispatched event, queues due retries and deletes expired events.</summary>
    public async Task<WebhookDispatchSummary> DispatchAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        using var _ = db.BeginCrossTenantScope("the webhook dispatcher reads every tenant's outbox");
        int events = 0, dropped = 0, deliveries = 0;
        while (true)
        {
            var batch = await db.WebhookEvents.AsNoTracking().Where(e => e.DispatchedAt == null)
                .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).Take(BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
                break;
            var created = await DispatchBatchAsync(db, batch, cancellationToken);
            events += created.Events;
            dropped += created.Dropped;
            deliveries += created.Deliveries.Count;
            foreach (var id in created.Deliveries)
                jobs.Deliver(id);
            if (batch.Count < BatchSize)
                break;
        }
        var due = await QueueDueAsync(db, cancellationToken);
        var expired = await DeleteExpiredAsync(db, cancellationToken);
        if (events + dropped + due + expired > 0)
            logger.LogInformation("Webhook dispatch: {Events} events made {Deliveries} deliveries, {Dropped} dropped (no endpoint wants them), {Due} due retries queued, {Expired} expired events deleted",
                events, deliveries, dropped, due, expired);
        return new WebhookDispatchSummary(events, dropped, deliveries, due, expired);
    }

    private async Task<(int Events, int Dropped, List<Guid> Deliveries)> DispatchBatchAsync(PortalDbContext db, List<WebhookEvent> batch, CancellationToken cancellationToken)
    {
        var tenantIds = batch.Select(e => e.TenantId).Distinct().ToList();
        var endpoints = (await db.WebhookEndpoints.AsNoTracking().Where(e => tenantIds.Contains(e.TenantId) && e.DisabledAt == null).ToListAsync(cancellationToken))
            .ToLookup(e => e.TenantId);
        var slugs = await db.Tenants.AsNoTracking().Where(t => tenantIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Slug, cancellationToken);
        var invoices = await InvoicesAsync(db, batch, cancellationToken);
        int events = 0;
        var deliveries = new List<Guid>();
        // An endpoint gets the events that happened since it was registered (its own registration included).
        List<WebhookEndpoint> TargetsOf(WebhookEvent e) =>
            slugs.ContainsKey(e.TenantId) ? endpoints[e.TenantId].Where(x => x.Wants(e.Type) && x.CreatedAt <= e.OccurredAt).ToList() : [];
        // Nobody listens (or the tenant is being deleted): those events go, unless another dispatcher took them meanwhile.
        var unwanted = batch.Where(e => TargetsOf(e).Count == 0).Select(e => e.Id).ToList();
        var dropped = unwanted.Count == 0 ? 0
            : await db.WebhookEvents.Where(x => unwanted.Contains(x.Id) && x.DispatchedAt == null).ExecuteDeleteAsync(cancellationToken);
        foreach (var e in batch)
        {
            var targets = TargetsOf(e);
            if (targets.Count == 0)
                continue;
            var now = time.GetUtcNow();
            var payload = Payload(e, slugs[e.TenantId], invoices);
            var made = await db.InTransactionAsync(async (transaction, ct) =>
            {
                var claimed = await db.WebhookEvents.Where(x => x.Id == e.Id && x.DispatchedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.DispatchedAt, now).SetProperty(x => x.Payload, payload), ct);
                if (claimed == 0)
                    return new List<Guid>();
                var rows = targets.Select(endpoint => new WebhookDelivery
                {
                    TenantId = e.TenantId, EndpointId = endpoint.Id, EventId = e.Id, EventType = e.Type, Status = WebhookDeliveryStatus.Pending,
                    NextAttemptAt = now, CreatedAt = now,
                }).ToList();
                db.WebhookDeliveries.AddRange(rows);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return rows.Select(r => r.Id).ToList();
            }, cancellationToken);
            db.ChangeTracker.Clear();
            if (made.Count > 0)
                events++;
            deliveries.AddRange(made);
        }
        return (events, dropped, deliveries);
    }

    // The invoices the batch's invoice events name, by tenant and number: their amount and status go into the body.
    private static async Task<Dictionary<(Guid, string), Core.Billing.Invoice>> InvoicesAsync(PortalDbContext db, List<WebhookEvent> batch, CancellationToken cancellationToken)
    {
        var wanted = batch.Where(e => e.Type is WebhookEventTypes.InvoiceIssued or WebhookEventTypes.InvoicePaid or WebhookEventTypes.InvoicePaymentFailed)
            .Select(e => (e.TenantId, Number: InvoiceNumber(e.Data))).Where(x => x.Number is not null).ToList();
        if (wanted.Count == 0)
            return [];
        var tenants = wanted.Select(w => w.TenantId).Distinct().ToList();
        var numbers = wanted.Select(w => w.Number!).Distinct().ToList();
        var found = await db.Invoices.AsNoTracking().Where(i => tenants.Contains(i.TenantId) && numbers.Contains(i.Number)).ToListAsync(cancellationToken);
        return found.ToDictionary(i => (i.TenantId, i.Number));
    }

    private static string? InvoiceNumber(string data) =>
        JsonNode.Parse(data)?["invoiceNumber"]?.GetValue<string>();

    /// <summary>The body every delivery of <paramref name="e"/> sends.</summary>
    internal static string Payload(WebhookEvent e, string slug, IReadOnlyDictionary<(Guid, string), Core.Billing.Invoice> invoices)
    {
        var data = JsonNode.Parse(e.Data) as JsonObject ?? [];
        if (data["invoiceNumber"]?.GetValue<string>() is { } number && e.Type != WebhookEventTypes.AuditEntry
            && invoices.TryGetValue((e.TenantId, number), out var invoice))
        {
            data["invoice"] = new JsonObject
            {
                ["number"] = invoice.Number,
                ["totalCents"] = invoice.TotalCents,
                ["currency"] = invoice.Currency,
                ["status"] = invoice.Status.ToString(),
                ["periodStart"] = invoice.PeriodStart,
                ["periodEnd"] = invoice.PeriodEnd,
                ["dueAt"] = invoice.DueAt,
            };
        }
        var body = new JsonObject
        {
            ["id"] = e.Id,
            ["type"] = e.Type,
            ["created"] = e.OccurredAt.ToUnixTimeSeconds(),
            ["tenant"] = new JsonObject { ["id"] = e.TenantId, ["slug"] = slug },
            ["data"] = data,
        };
        return body.ToJsonString(WebhookJson.Options);
    }

    private async Task<int> QueueDueAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => (d.Status == WebhookDeliveryStatus.Pending || d.Status == WebhookDeliveryStatus.Retrying)
                && d.NextAttemptAt <= now && (d.ClaimedUntil == null || d.ClaimedUntil < now))
            .OrderBy(d => d.NextAttemptAt).Select(d => d.Id).Take(DueBatch).ToListAsync(cancellationToken);
        foreach (var id in due)
            jobs.Deliver(id);
        return due.Count;
    }

    private async Task<int> DeleteExpiredAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - Retention;
        var expired = db.WebhookEvents.Where(e => e.DispatchedAt != null && e.OccurredAt < before);
        await db.WebhookDeliveries.Where(d => expired.Any(e => e.Id == d.EventId)).ExecuteDeleteAsync(cancellationToken);
        return await expired.ExecuteDeleteAsync(cancellationToken);
    }
}
