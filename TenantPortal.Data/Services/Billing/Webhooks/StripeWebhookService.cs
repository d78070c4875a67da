using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Data.Options;

namespace TenantPortal.Data.Services.Billing.Webhooks;

/// <summary>
/// Receives Stripe webhook events into an inbox and applies each once. The signature (<c>Stripe:WebhookSecret</c>) is
/// the only authentication; a verified event is stored under its unique Stripe id before anything else, so a repeated
/// delivery finds it: processed or ignored before = a duplicate with no effect, pending or failed = processed again.
/// Events may arrive in any order: each handler compares the event's creation time with the state it already holds.
/// </summary>
public sealed class StripeWebhookService(
    IDbContextFactory<PortalDbContext> contexts,
    IServiceScopeFactory scopes,
    IOptions<StripeOptions> stripe,
    TimeProvider time,
    ILogger<StripeWebhookService> logger)
{
    /// <summary>The signature tolerance Stripe recommends: a delivery signed longer ago is refused (replay protection).</summary>
    public const int ToleranceSeconds = 300;

    /// <summary>At most this many inbox rows are retried per <see cref="RetryFailedAsync"/> run.</summary>
    public const int RetryBatchSize = 50;

    /// <summary>
    /// Rows that failed this often are left to the operators (<see cref="ProcessAgainAsync"/>), so that a few rows that
    /// can never apply do not hold up the retries of newer ones. Stripe itself redelivers for three days.
    /// </summary>
    public const int MaxAutomaticAttempts = 10;

    // The column's length (StripeWebhookEventConfiguration).
    private const int MaxApiVersionLength = 40;

    /// <summary>
    /// Verifies a delivery (raw body and <c>Stripe-Signature</c> header), stores it in the inbox and processes it. A
    /// failure (code <see cref="ErrorCodes.Invalid"/>) means nothing was stored: field <c>Stripe-Signature</c> for a
    /// missing, bad or stale signature or no webhook secret configured; field <c>body</c> for a signed body that is not
    /// an event (not JSON, not an object, no id or type).
    /// </summary>
    public async Task<Result<StripeWebhookReceipt>> ReceiveAsync(string payload, string? signatureHeader, CancellationToken cancellationToken)
    {
        var verified = Verify(payload, signatureHeader);
        if (!verified.IsSuccess)
            return verified.Error;
        var stripeEvent = verified.Value;
        if (!string.Equals(stripeEvent.ApiVersion, StripeConfiguration.ApiVersion, StringComparison.Ordinal))
            logger.LogWarning("Stripe event {StripeEventId} uses API version {EventApiVersion}, Stripe.net expects {ApiVersion}; it is processed anyway",
                stripeEvent.Id, stripeEvent.ApiVersion, StripeConfiguration.ApiVersion);

        var row = await StoreAsync(stripeEvent, payload, cancellationToken);
        if (row.Outcome is WebhookOutcome.Processed or WebhookOutcome.Ignored)
            return Receipt(row, WebhookReceiptOutcome.Duplicate, null);
        return await ProcessAsync(row, cancellationToken);
    }

    /// <summary>How many rounds of waiting events one linking event sets off (each round may link what the next needs).</summary>
    public const int MaxWaitingRounds = 5;

    /// <summary>Processes the pending and failed inbox rows again, oldest first, at most <see cref="RetryBatchSize"/> per run.</summary>
    public async Task<IReadOnlyList<StripeWebhookReceipt>> RetryFailedAsync(CancellationToken cancellationToken)
    {
        List<StripeWebhookEvent> rows;
        await using (var db = contexts.CreateDbContext())
        {
            rows = await db.StripeWebhookEvents.AsNoTracking()
                .Where(e => (e.Outcome == WebhookOutcome.Pending || e.Outcome == WebhookOutcome.Failed) && e.Attempts < MaxAutomaticAttempts)
                .OrderBy(e => e.ReceivedAt)
                .Take(RetryBatchSize)
                .ToListAsync(cancellationToken);
        }
        var receipts = new List<StripeWebhookReceipt>(rows.Count);
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            receipts.Add(await ProcessAsync(row, cancellationToken));
        }
        return receipts;
    }

    /// <summary>
    /// Processes one inbox row again (the operators' inbox page): a pending or failed row is processed, whatever its
    /// attempts; a processed or ignored one is a duplicate and left alone.
    /// </summary>
    public async Task<Result<StripeWebhookReceipt>> ProcessAgainAsync(Guid inboxId, CancellationToken cancellationToken)
    {
        StripeWebhookEvent? row;
        await using (var db = contexts.CreateDbContext())
            row = await db.StripeWebhookEvents.AsNoTracking().SingleOrDefaultAsync(e => e.Id == inboxId, cancellationToken);
        if (row is null)
            return Error.NotFound("There is no such webhook event in the inbox.");
        if (row.Outcome is WebhookOutcome.Processed or WebhookOutcome.Ignored)
            return Receipt(row, WebhookReceiptOutcome.Duplicate, row.Error);
        return await ProcessAsync(row, cancellationToken);
    }

    private Result<Event> Verify(string payload, string? signatureHeader)
    {
        var secret = stripe.Value.WebhookSecret;
        if (string.IsNullOrWhiteSpace(secret))
        {
            logger.LogWarning("A Stripe webhook arrived, but Stripe:WebhookSecret is empty: it is refused");
            return Refused("Stripe webhooks are not configured on this portal (Stripe:WebhookSecret is empty).");
        }
        if (string.IsNullOrWhiteSpace(signatureHeader))
            return Refused("The Stripe-Signature header is missing.");
        try
        {
            EventUtility.ValidateSignature(payload, signatureHeader, secret, ToleranceSeconds, time.GetUtcNow().ToUnixTimeSeconds());
        }
        catch (StripeException ex)
        {
            logger.LogWarning("A Stripe webhook was refused: {Reason}", ex.Message);
            return Refused(ex.Message);
        }
        // The signature holds; the body must still be an event: a JSON object with an id and a type.
        if (!IsJsonObject(payload))
            return NotAnEvent();
        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ParseEvent(payload, throwOnApiVersionMismatch: false);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or Newtonsoft.Json.JsonException or StripeException or FormatException
                                       or InvalidCastException or NotSupportedException or InvalidOperationException)
        {
            // A JSON object, but its fields are not those of an event (an id that is a number, a date that is a word, a
            // string escaping half a surrogate pair, which reads as no text).
            logger.LogWarning("A signed Stripe webhook was refused: its body is not a Stripe event ({Error})", ex.GetType().Name);
            return NotAnEvent();
        }
        return stripeEvent is null || string.IsNullOrEmpty(stripeEvent.Id) || string.IsNullOrEmpty(stripeEvent.Type)
            ? NotAnEvent()
            : stripeEvent;
    }

    private static bool IsJsonObject(string payload)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static Error NotAnEvent() => Error.Invalid("body", "The signed body is not a Stripe event (a JSON object with an id and a type).");

    private static Error Refused(string message) => Error.Invalid("Stripe-Signature", message);

    // Inserts the inbox row; when the event id is there already (a redelivery, or a concurrent one), returns the stored row.
    private async Task<StripeWebhookEvent> StoreAsync(Event stripeEvent, string payload, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var existing = await db.StripeWebhookEvents.AsNoTracking().SingleOrDefaultAsync(e => e.StripeEventId == stripeEvent.Id, cancellationToken);
        if (existing is not null)
            return existing;
        var row = new StripeWebhookEvent
        {
            StripeEventId = stripeEvent.Id,
            Type = stripeEvent.Type,
            ApiVersion = stripeEvent.ApiVersion is { Length: > MaxApiVersionLength } version ? version[..MaxApiVersionLength] : stripeEvent.ApiVersion,
            Payload = payload,
            ReceivedAt = time.GetUtcNow(),
            Outcome = WebhookOutcome.Pending,
        };
        db.StripeWebhookEvents.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return row;
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            await using var again = contexts.CreateDbContext();
            return await again.StripeWebhookEvents.AsNoTracking().SingleAsync(e => e.StripeEventId == stripeEvent.Id, cancellationToken);
        }
    }

    // Each event is applied in a DI scope of its own: it works for the event's tenant, never for the caller's. An event
    // that links a tenant to a new subscription or customer sets off the events that waited for that (of the tenant, or
    // of a customer not linked yet), so that the outcome does not depend on the order Stripe delivered them in.
    private async Task<StripeWebhookReceipt> ProcessAsync(StripeWebhookEvent row, CancellationToken cancellationToken)
    {
        var result = await ProcessOnceAsync(row, cancellationToken);
        var linked = result.LinkedTenantId;
        for (var round = 0; linked is { } tenantId && round < MaxWaitingRounds; round++)
        {
            linked = null;
            foreach (var waiting in await WaitingAsync(tenantId, row.Id, cancellationToken))
                linked = (await ProcessOnceAsync(waiting, cancellationToken)).LinkedTenantId ?? linked;
        }
        return Receipt(row, result);
    }

    // The failed rows that may apply now that the tenant is linked: the tenant's own (waiting for a subscription), and those
    // of no tenant yet (an unknown customer), oldest first.
    private async Task<List<StripeWebhookEvent>> WaitingAsync(Guid tenantId, Guid exceptInboxId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await db.StripeWebhookEvents.AsNoTracking()
            .Where(e => e.Id != exceptInboxId && (e.Outcome == WebhookOutcome.Pending || e.Outcome == WebhookOutcome.Failed)
                && e.Attempts < MaxAutomaticAttempts && (e.TenantId == tenantId || e.TenantId == null))
            .OrderBy(e => e.ReceivedAt)
            .Take(RetryBatchSize)
            .ToListAsync(cancellationToken);
    }

    private async Task<ProcessResult> ProcessOnceAsync(StripeWebhookEvent row, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await ActivatorUtilities.CreateInstance<StripeEventProcessor>(scope.ServiceProvider).ProcessAsync(row.Id, cancellationToken);
    }

    private static StripeWebhookReceipt Receipt(StripeWebhookEvent row, ProcessResult result)
    {
        var outcome = result.Outcome switch
        {
            WebhookOutcome.Processed => WebhookReceiptOutcome.Processed,
            WebhookOutcome.Ignored => WebhookReceiptOutcome.Ignored,
            WebhookOutcome.Failed => WebhookReceiptOutcome.Failed,
            _ => WebhookReceiptOutcome.Duplicate,
        };
        return Receipt(row, outcome, result.Error);
    }


    private static StripeWebhookReceipt Receipt(StripeWebhookEvent row, WebhookReceiptOutcome outcome, string? message) =>
        new(row.Id, row.StripeEventId, row.Type, outcome, message);
}
