using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Audit;

namespace TenantPortal.Data.Services.Billing.Webhooks;

/// <summary>
/// Processes one inbox row in a DI scope of its own (it ends up working for the event's tenant). The row is claimed
/// (its attempt count moves on only if nobody else moved it), the event applied and the outcome stored in one
/// transaction; an exception rolls the changes back and leaves the row Failed with the error. Notices go out after the
/// commit (the notifier writes on its own connection, and sends once per key, so a retried event never sends twice).
/// </summary>
internal sealed class StripeEventProcessor(
    IDbContextFactory<PortalDbContext> contexts,
    ITenantContext tenantContext,
    AuditWriter audit,
    BillingNotifier notifier,
    IOptions<BillingOptions> billing,
    TimeProvider time,
    ILogger<StripeEventProcessor> logger)
{
    public async Task<ProcessResult> ProcessAsync(Guid inboxId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var row = await db.StripeWebhookEvents.AsNoTracking().SingleOrDefaultAsync(e => e.Id == inboxId, cancellationToken);
        if (row is null || row.Outcome is WebhookOutcome.Processed or WebhookOutcome.Ignored)
            return ProcessResult.NotClaimed;

        HandlerResult result;
        try
        {
            // The payload was verified when it was received.
            var stripeEvent = EventUtility.ParseEvent(row.Payload, throwOnApiVersionMismatch: false);
            var strategy = db.Database.CreateExecutionStrategy();
            var handled = await strategy.ExecuteAsync(async () =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var claimed = await db.StripeWebhookEvents
                    .Where(e => e.Id == inboxId && e.Attempts == row.Attempts && (e.Outcome == WebhookOutcome.Pending || e.Outcome == WebhookOutcome.Failed))
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.Attempts, row.Attempts + 1), cancellationToken);
                if (claimed == 0)
                    return null;
                var now = time.GetUtcNow();
                var outcome = await DispatchAsync(new WebhookEventContext(db, stripeEvent, inboxId, now), cancellationToken);
                var tracked = await db.StripeWebhookEvents.SingleAsync(e => e.Id == inboxId, cancellationToken);
                tracked.Outcome = outcome.Outcome;
                tracked.TenantId = outcome.TenantId ?? tracked.TenantId;
                tracked.Error = Truncate(outcome.Note);
                tracked.ProcessedAt = outcome.Outcome == WebhookOutcome.Failed ? null : now;
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return outcome;
            });
            if (handled is null)
                return ProcessResult.NotClaimed;
            result = handled;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Stripe event {StripeEventId} ({Type}) failed; it stays in the inbox to be retried", row.StripeEventId, row.Type);
            await RecordFailureAsync(row, ex.Message, cancellationToken);
            return new ProcessResult(WebhookOutcome.Failed, ex.Message);
        }

        if (result.Outcome == WebhookOutcome.Failed)
            logger.LogWarning("Stripe event {StripeEventId} ({Type}) not applied yet: {Reason}", row.StripeEventId, row.Type, result.Note);
        foreach (var pending in result.Notices)
        {
            try
            {
                await notifier.NotifyAsync(pending.Tenant, pending.Notice, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The state is committed; the notice is lost, which the log says.
                logger.LogError(ex, "Billing notice {Key} of Stripe event {StripeEventId} could not be stored", pending.Notice.Key, row.StripeEventId);
            }
        }
        return new ProcessResult(result.Outcome, result.Note) { LinkedTenantId = result.Linked ? result.TenantId : null };
    }

    private async Task<HandlerResult> DispatchAsync(WebhookEventContext context, CancellationToken cancellationToken)
    {
        var resolver = new StripeTenantResolver(tenantContext);
        var subscriptions = new SubscriptionEventHandler(resolver, audit);
        var invoices = new InvoiceEventHandler(resolver, audit, billing.Value.DunningDays);
        var credits = new CreditPurchaseEventHandler(resolver, audit);
        var data = context.Event.Data?.Object;
        return (context.Event.Type, data) switch
        {
            (EventTypes.CheckoutSessionCompleted or EventTypes.CheckoutSessionAsyncPaymentSucceeded, Session session)
                when CreditPurchaseEventHandler.IsCreditPurchase(session) => await credits.PaidAsync(context, session, cancellationToken),
            (EventTypes.CheckoutSessionCompleted, Session session) => await subscriptions.CheckoutCompletedAsync(context, session, cancellationToken),
            (EventTypes.CustomerSubscriptionCreated or EventTypes.CustomerSubscriptionUpdated, Subscription subscription) =>
                await subscriptions.SubscriptionChangedAsync(context, subscription, cancellationToken),
            (EventTypes.CustomerSubscriptionDeleted, Subscription subscription) => await subscriptions.SubscriptionDeletedAsync(context, subscription, cancellationToken),
            (EventTypes.InvoiceFinalized, global::Stripe.Invoice invoice) => await invoices.FinalizedAsync(context, invoice, cancellationToken),
            (EventTypes.InvoicePaid, global::Stripe.Invoice invoice) => await invoices.PaidAsync(context, invoice, cancellationToken),
            (EventTypes.InvoicePaymentFailed, global::Stripe.Invoice invoice) => await invoices.PaymentFailedAsync(context, invoice, cancellationToken),
            _ => HandlerResult.Ignored(null, $"Events of type {context.Event.Type} (object {data?.Object ?? "none"}) are not handled."),
        };
    }

    private async Task RecordFailureAsync(StripeWebhookEvent row, string error, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var message = Truncate(error);
        await db.StripeWebhookEvents
            .Where(e => e.Id == row.Id && (e.Outcome == WebhookOutcome.Pending || e.Outcome == WebhookOutcome.Failed))
            .ExecuteUpdateAsync(s => s
                .SetProperty(e => e.Outcome, WebhookOutcome.Failed)
                .SetProperty(e => e.Error, message)
                .SetProperty(e => e.Attempts, e => e.Attempts > row.Attempts ? e.Attempts : row.Attempts + 1), cancellationToken);
    }

    private static string? Truncate(string? text) => text is { Length: > FieldLengths.LongText } ? text[..FieldLengths.LongText] : text;
}
