using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;
using TenantPortal.Core.Webhooks;
using TenantPortal.Data.Services.Audit;

namespace TenantPortal.Data.Services.Webhooks;

/// <summary>
/// The current tenant's delivery log (<see cref="TenantPermission.ViewWebhooks"/>): newest first with keyset paging, one
/// delivery with its attempts, and "Resend" (<see cref="TenantPermission.ManageWebhooks"/>): a new attempt of the same
/// event (same id) now, whatever the delivery's state, to an enabled endpoint.
/// </summary>
public sealed class WebhookDeliveryService(IDbContextFactory<PortalDbContext> contexts, WebhookEndpointService endpoints, IWebhookJobs jobs,
    AuditWriter audit, TimeProvider time)
{
    /// <summary>Largest page.</summary>
    public const int MaxLimit = 100;

    /// <summary>A page of deliveries, newest first.</summary>
    public async Task<Result<WebhookDeliveryPage>> ListAsync(Actor actor, WebhookDeliveryFilter filter, CancellationToken cancellationToken)
    {
        if (filter.Limit is < 1 or > MaxLimit)
            return Error.Invalid("limit", $"limit must be between 1 and {MaxLimit}.");
        if (filter.EventType is { } type && !WebhookEventTypes.IsKnown(type))
            return Error.Invalid("eventType", $"eventType must be one of {string.Join(", ", WebhookEventTypes.All)}.");
        (DateTimeOffset At, int Skip)? after = null;
        if (filter.Cursor is { } cursor)
        {
            if (Decode(cursor) is not { } position)
                return Error.Invalid("cursor", "cursor is not one this API returned; start again without it.");
            after = position;
        }
        await using var db = contexts.CreateDbContext();
        var gate = await GateAsync(db, actor, TenantPermission.ViewWebhooks, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var query = db.WebhookDeliveries.AsNoTracking();
        if (filter.EndpointId is { } endpointId)
            query = query.Where(d => d.EndpointId == endpointId);
        if (filter.Status is { } status)
            query = query.Where(d => d.Status == status);
        if (filter.EventType is { } eventType)
            query = query.Where(d => d.EventType == eventType);
        // Keyset on the creation time; deliveries made at the same instant (one event, several endpoints) are few, and are
        // paged past by their count in the database's own order of ids (Guids order differently in each database).
        if (after is { } a)
            query = query.Where(d => d.CreatedAt <= a.At);
        var ordered = query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id);
        var rows = await (after is { Skip: > 0 } s ? ordered.Skip(s.Skip) : ordered).Take(filter.Limit + 1)
            .Join(db.WebhookEndpoints, d => d.EndpointId, e => e.Id, (d, e) => new { d, e.Url })
            .ToListAsync(cancellationToken);
        var items = rows.Take(filter.Limit).Select(r => Row(r.d, r.Url)).ToList();
        string? next = null;
        if (rows.Count > filter.Limit)
        {
            var last = items[^1].CreatedAt;
            var sameInstant = items.Count(i => i.CreatedAt == last);
            next = Encode(last, (after is { } p && p.At == last ? p.Skip : 0) + sameInstant);
        }
        return new WebhookDeliveryPage(items, next);
    }

    /// <summary>One delivery with its attempts and body.</summary>
    public async Task<Result<WebhookDeliveryDetail>> GetAsync(Actor actor, Guid id, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewWebhooks, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var found = await db.WebhookDeliveries.AsNoTracking().Where(d => d.Id == id)
            .Join(db.WebhookEndpoints, d => d.EndpointId, e => e.Id, (d, e) => new { d, e.Url }).SingleOrDefaultAsync(cancellationToken);
        if (found is null)
            return NotFound();
        var entitled = await endpoints.RequireEntitledAsync(gate.Value.TenantId, cancellationToken);
        if (!entitled.IsSuccess)
            return entitled.Error;
        var attempts = await db.WebhookAttempts.AsNoTracking().Where(a => a.DeliveryId == id).OrderBy(a => a.Number)
            .Select(a => new WebhookAttemptRow(a.Number, a.At, a.StatusCode, a.DurationMs, a.Succeeded, a.Error)).ToListAsync(cancellationToken);
        var payload = await db.WebhookEvents.Where(e => e.Id == found.d.EventId).Select(e => e.Payload).SingleOrDefaultAsync(cancellationToken);
        return new WebhookDeliveryDetail(Row(found.d, found.Url), attempts, payload);
    }

    /// <summary>
    /// Queues a new attempt now (same event id). Refused while an attempt is being made (it would be a second at once) and
    /// for a disabled endpoint (enable it first). Retries after a failed resend stay within the delivery's 3-day window:
    /// past it, a resend is one attempt.
    /// </summary>
    public async Task<Result<WebhookDeliveryRow>> ResendAsync(Actor actor, Guid id, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageWebhooks, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var delivery = await db.WebhookDeliveries.SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (delivery is null)
            return NotFound();
        var entitled = await endpoints.RequireEntitledAsync(gate.Value.TenantId, cancellationToken);
        if (!entitled.IsSuccess)
            return entitled.Error;
        var endpoint = await db.WebhookEndpoints.AsNoTracking().SingleAsync(e => e.Id == delivery.EndpointId, cancellationToken);
        if (!endpoint.IsEnabled)
            return Error.Conflict("The endpoint is disabled: enable it, then resend.");
        var now = time.GetUtcNow();
        if (delivery.ClaimedUntil > now)
            return Error.Conflict("An attempt of this delivery is being made right now; wait for it, then resend if it fails.");
        // Applies only when no sender claimed the delivery since it was read (a claim in the past has ended).
        var original = delivery.Status;
        var resent = await db.WebhookDeliveries
            .Where(d => d.Id == id && d.Status == original && (d.ClaimedUntil == null || d.ClaimedUntil <= now))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, WebhookDeliveryStatus.Pending).SetProperty(d => d.NextAttemptAt, now), cancellationToken);
        if (resent == 0)
            return Error.Conflict("The delivery changed meanwhile; read it again.");
        delivery.Status = WebhookDeliveryStatus.Pending;
        delivery.NextAttemptAt = now;
        db.Entry(delivery).State = EntityState.Unchanged;
        audit.Record(db, delivery.TenantId, actor, AuditActions.WebhookDeliveryResent, $"webhook_delivery:{delivery.Id}",
            $"{delivery.EventType} {delivery.EventId} to {endpoint.Url}");
        await db.SaveChangesAsync(cancellationToken);
        jobs.Deliver(delivery.Id);
        return Row(delivery, endpoint.Url);
    }

    private async Task<Result<Core.Members.TenantMember>> GateAsync(PortalDbContext db, Actor actor, TenantPermission permission, CancellationToken cancellationToken)
    {
        var gate = await TenantGate.RequireAsync(db, actor, permission, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var entitled = await endpoints.RequireEntitledAsync(gate.Value.TenantId, cancellationToken);
        return entitled.IsSuccess ? gate : entitled.Error;
    }

    private static Error NotFound() => Error.NotFound("That webhook delivery was not found.");

    private static WebhookDeliveryRow Row(WebhookDelivery d, string url) =>
        new(d.Id, d.EndpointId, url, d.EventId, d.EventType, d.Status, d.Attempts, d.LastResponseCode, d.LastDurationMs, d.LastError,
            d.LastAttemptAt, d.NextAttemptAt, d.CreatedAt);

    private static string Encode(DateTimeOffset at, int skip) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{at.UtcTicks}:{skip}")));

    private static (DateTimeOffset, int)? Decode(string cursor)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split(':');
            return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks is > 0 and <= 3155378975999999999 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var skip)
                ? (new DateTimeOffset(ticks, TimeSpan.Zero), skip)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
