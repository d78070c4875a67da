using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TenantPortal.Core.Webhooks;

namespace TenantPortal.Data.Services.Webhooks;

/// <summary>
/// Makes one attempt of a delivery (the delivery job): claims it (due, not held by another sender) so that no attempt is
/// made twice at once, POSTs the event's body signed with the endpoint's secrets, records the attempt, and then marks the
/// delivery succeeded, schedules its retry (<see cref="WebhookRetrySchedule"/>) or, past 3 days, fails it. An endpoint whose
/// attempts failed for 3 days in a row is disabled, its waiting deliveries failed and its tenant's admins told.
/// </summary>
public sealed class WebhookSender(IDbContextFactory<PortalDbContext> contexts, WebhookHttp http, WebhookSecrets secrets, IWebhookJobs jobs,
    WebhookEndpointNotifier notifier, Audit.AuditWriter audit, TimeProvider time, ILogger<WebhookSender> logger)
{
    /// <summary>The event id header.</summary>
    public const string EventIdHeader = "TenantPortal-Event-Id";

    /// <summary>The event type header.</summary>
    public const string EventTypeHeader = "TenantPortal-Event-Type";

    /// <summary>How long a claim holds: longer than an attempt can take.</summary>
    public static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(5);

    /// <summary>Attempts the delivery when it is due and nobody holds it; returns what happened (null: nothing to do).</summary>
    public async Task<WebhookDeliveryStatus?> SendAsync(Guid deliveryId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        using var _ = db.BeginCrossTenantScope("a webhook delivery job, by the delivery's id");
        var now = time.GetUtcNow();
        var claimedUntil = now + ClaimFor;
        var claimed = await db.WebhookDeliveries
            .Where(d => d.Id == deliveryId && (d.Status == WebhookDeliveryStatus.Pending || d.Status == WebhookDeliveryStatus.Retrying)
                && d.NextAttemptAt <= now && (d.ClaimedUntil == null || d.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.ClaimedUntil, claimedUntil), cancellationToken);
        if (claimed == 0)
            return null;
        var delivery = await db.WebhookDeliveries.SingleAsync(d => d.Id == deliveryId, cancellationToken);
        var endpoint = await db.WebhookEndpoints.SingleOrDefaultAsync(e => e.Id == delivery.EndpointId, cancellationToken);
        var payload = await db.WebhookEvents.Where(e => e.Id == delivery.EventId).Select(e => e.Payload).SingleOrDefaultAsync(cancellationToken);
        if (endpoint is null || !endpoint.IsEnabled || payload is null)
        {
            Finish(delivery, WebhookDeliveryStatus.Failed, endpoint is null || payload is null ? "The endpoint or the event is gone." : "The endpoint is disabled.");
            await db.SaveChangesAsync(cancellationToken);
            return delivery.Status;
        }

        var result = await PostAsync(endpoint, delivery, payload, cancellationToken);
        var at = time.GetUtcNow();
        db.WebhookAttempts.Add(new WebhookAttempt
        {
            TenantId = delivery.TenantId, DeliveryId = delivery.Id, Number = delivery.Attempts + 1, At = now,
            StatusCode = result.StatusCode, DurationMs = result.DurationMs, Error = Clip(result.Error), Succeeded = result.Succeeded,
        });
        delivery.Attempts++;
        delivery.LastAttemptAt = now;
        delivery.LastResponseCode = result.StatusCode;
        delivery.LastDurationMs = result.DurationMs;
        delivery.LastError = Clip(result.Error);
        DateTimeOffset? retryAt = null;
        var disabled = false;
        if (result.Succeeded)
        {
            Finish(delivery, WebhookDeliveryStatus.Succeeded, null);
            endpoint.RecordSuccess();
        }
        else
        {
            retryAt = WebhookRetrySchedule.Next(delivery.Attempts, delivery.CreatedAt, at, Random.Shared.NextDouble());
            if (retryAt is null)
                Finish(delivery, WebhookDeliveryStatus.Failed, delivery.LastError);
            else
            {
                delivery.Status = WebhookDeliveryStatus.Retrying;
                delivery.NextAttemptAt = retryAt;
                delivery.ClaimedUntil = null;
            }
            disabled = endpoint.RecordFailure(at);
            if (disabled)
            {
                retryAt = null;
                Finish(delivery, WebhookDeliveryStatus.Failed, delivery.LastError);
                audit.RecordSystem(db, endpoint.TenantId, Core.Audit.AuditActions.WebhookEndpointDisabled, $"webhook_endpoint:{endpoint.Id}",
                    string.Create(CultureInfo.InvariantCulture, $"{endpoint.Url}: every attempt failed since {endpoint.FailingSince:yyyy-MM-dd HH:mm} UTC (3 days); last: {delivery.LastError}"));
                await notifier.TellAdminsAsync(db, endpoint, at, cancellationToken);
            }
        }
        await SaveAsync(db, endpoint, result.Succeeded, at, cancellationToken);
        if (disabled)
        {
            // The endpoint's other waiting deliveries end with it; re-enabling it sends new events, and "Resend" sends these.
            await db.WebhookDeliveries.Where(d => d.EndpointId == endpoint.Id
                    && (d.Status == WebhookDeliveryStatus.Pending || d.Status == WebhookDeliveryStatus.Retrying))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, WebhookDeliveryStatus.Failed).SetProperty(d => d.NextAttemptAt, (DateTimeOffset?)null)
                    .SetProperty(d => d.ClaimedUntil, (DateTimeOffset?)null), cancellationToken);
            logger.LogWarning("Webhook endpoint {EndpointId} of tenant {TenantId} disabled after 3 days of failed deliveries", endpoint.Id, endpoint.TenantId);
        }
        if (retryAt is { } next)
            jobs.Deliver(delivery.Id, next);
        return delivery.Status;
    }

    // An admin may change the endpoint while an attempt is in flight: the attempt is still recorded, on the endpoint as it now is.
    private static async Task SaveAsync(PortalDbContext db, WebhookEndpoint endpoint, bool succeeded, DateTimeOffset at, CancellationToken cancellationToken)
    {
        for (var tries = 0; ; tries++)
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateConcurrencyException) when (tries < 3)
            {
                await db.Entry(endpoint).ReloadAsync(cancellationToken);
                if (succeeded)
                    endpoint.RecordSuccess();
                else
                    endpoint.RecordFailure(at);
            }
        }
    }

    private Task<WebhookSendResult> PostAsync(WebhookEndpoint endpoint, WebhookDelivery delivery, string payload, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var signing = endpoint.SigningSecrets(now).Select(secrets.Unprotect);
        var headers = new Dictionary<string, string>
        {
            [WebhookSignature.Header] = WebhookSignature.Create(now.ToUnixTimeSeconds(), payload, signing),
            [EventIdHeader] = delivery.EventId,
            [EventTypeHeader] = delivery.EventType,
        };
        return http.PostAsync(endpoint.Url, payload, headers, cancellationToken);
    }

    private static void Finish(WebhookDelivery delivery, WebhookDeliveryStatus status, string? error)
    {
        delivery.Status = status;
        delivery.NextAttemptAt = null;
        delivery.ClaimedUntil = null;
        if (error is not null)
            delivery.LastError = Clip(error);
    }

    private static string? Clip(string? text) => text is { Length: > WebhookDelivery.ErrorLength } ? text[..WebhookDelivery.ErrorLength] : text;
}
