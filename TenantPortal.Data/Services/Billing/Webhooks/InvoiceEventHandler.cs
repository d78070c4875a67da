using System.Globalization;
using Microsoft.EntityFrameworkCore;
using StripeInvoice = Stripe.Invoice;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Notifications;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Billing.Stripe;

namespace TenantPortal.Data.Services.Billing.Webhooks;

/// <summary>
/// <c>invoice.finalized|paid|payment_failed</c>: the local invoice the Stripe invoice mirrors (found by its Stripe id or
/// the portal's invoice id in the metadata; Stripe's own subscription invoices have none) follows Stripe's state unless
/// the event is older than <see cref="Invoice.StripeStateAt"/>; payments move the tenant in and out of dunning.
/// </summary>
internal sealed class InvoiceEventHandler(StripeTenantResolver resolver, AuditWriter audit, int dunningDays)
{
    public async Task<HandlerResult> FinalizedAsync(WebhookEventContext context, StripeInvoice invoice, CancellationToken cancellationToken)
    {
        var resolution = await ResolveAsync(context, invoice, cancellationToken);
        if (resolution.Tenant is not { } tenant)
            return resolution.Unresolved();
        var local = await FindLocalAsync(context, invoice, cancellationToken);
        if (local is null)
            return NotOurs(tenant, invoice);
        if (OlderThanMirror(context, tenant, local) is { } older)
            return older;

        var before = local.Status;
        // Finalizing never takes back a later state (paid, void) that arrived first in the same second.
        if (local.Status == InvoiceStatus.Draft)
            local.Status = InvoiceStatus.Open;
        Mirror(context, local, invoice);
        if (local.Status != before)
            Record(context, tenant, AuditActions.InvoiceIssued, local.Number, $"Invoice {local.Number} finalized in Stripe as {invoice.Id}: {before} → {local.Status}");
        return HandlerResult.Processed(tenant.Id);
    }

    public async Task<HandlerResult> PaidAsync(WebhookEventContext context, StripeInvoice invoice, CancellationToken cancellationToken)
    {
        var resolution = await ResolveAsync(context, invoice, cancellationToken);
        if (resolution.Tenant is not { } tenant)
            return resolution.Unresolved();
        if (await WaitsForItsSubscriptionAsync(context, tenant, invoice, cancellationToken) is { } waiting)
            return waiting;

        var changed = false;
        var notes = new List<string>();
        var local = await FindLocalAsync(context, invoice, cancellationToken);
        if (local is null)
            notes.Add($"invoice {invoice.Id} is not one the portal issued");
        else if (local.StripeStateAt is { } state && context.Created < state)
            notes.Add($"the local invoice {local.Number} holds newer Stripe state ({state:O})");
        else
        {
            var before = local.Status;
            local.Status = InvoiceStatus.Paid;
            local.PaidAt ??= StripeTime.UtcOrNull(invoice.StatusTransitions?.PaidAt) ?? context.Created;
            Mirror(context, local, invoice);
            changed = true;
            if (before != InvoiceStatus.Paid)
                Record(context, tenant, AuditActions.InvoicePaid, local.Number, $"Invoice {local.Number} paid in Stripe ({invoice.Id}): {before} → Paid");
        }

        var status = tenant.Status;
        var payment = tenant.RecordPayment(context.Created, context.Now);
        if (!payment.IsSuccess)
            notes.Add(payment.Error.Message);
        else
        {
            changed = true;
            Record(context, tenant, AuditActions.BillingStatusChanged, invoice.Id, tenant.Status == status
                ? $"Dunning ended: invoice {invoice.Number ?? invoice.Id} paid; still {tenant.Status}: an operator suspended it"
                : $"Status {status} → {tenant.Status}: invoice {invoice.Number ?? invoice.Id} paid");
        }
        return changed ? HandlerResult.Processed(tenant.Id) : HandlerResult.Ignored(tenant.Id, $"Nothing to change: {string.Join("; ", notes)}.");
    }

    public async Task<HandlerResult> PaymentFailedAsync(WebhookEventContext context, StripeInvoice invoice, CancellationToken cancellationToken)
    {
        var resolution = await ResolveAsync(context, invoice, cancellationToken);
        if (resolution.Tenant is not { } tenant)
            return resolution.Unresolved();
        if (await WaitsForItsSubscriptionAsync(context, tenant, invoice, cancellationToken) is { } waiting)
            return waiting;
        if (await StripeInboxFacts.InvoicePaidAsync(context.Db, invoice.Id, context.InboxId, cancellationToken))
            return HandlerResult.Ignored(tenant.Id, $"Invoice {invoice.Id} has been paid since this payment failed.");
        var local = await FindLocalAsync(context, invoice, cancellationToken);
        if (local is { Status: InvoiceStatus.Paid or InvoiceStatus.Void })
            return HandlerResult.Ignored(tenant.Id, $"The local invoice {local.Number} is {local.Status}: the failure is past.");

        var before = tenant.Status;
        if (tenant.MarkPastDue(context.Created, context.Now).IsSuccess && before != tenant.Status)
            Record(context, tenant, AuditActions.BillingStatusChanged, invoice.Id, $"Status {before} → PastDue: the payment of invoice {invoice.Number ?? invoice.Id} failed");

        var name = local?.Number ?? invoice.Number ?? invoice.Id;
        Record(context, tenant, AuditActions.InvoicePaymentFailed, $"invoice:{name}", $"The payment of invoice {name} failed in Stripe ({invoice.Id})");
        var amount = invoice.AmountDue > 0 && string.Equals(invoice.Currency, "usd", StringComparison.OrdinalIgnoreCase)
            ? $" of {Money.Format(invoice.AmountDue)}"
            : "";
        var dunning = tenant.PastDueSince is { } since
            ? string.Create(CultureInfo.InvariantCulture, $" If it stays unpaid, {tenant.Name} is suspended {dunningDays} days after the first failed payment, on {since.AddDays(dunningDays):yyyy-MM-dd}.")
            : $" If it stays unpaid, {tenant.Name} is suspended after {dunningDays} days.";
        var notice = new BillingNotice($"billing:payment_failed:{invoice.Id}", "Payment failed",
            $"The payment of invoice {name}{amount} failed. Please update the payment method on the billing page.{dunning}",
            NotificationSeverity.Error);
        return HandlerResult.Processed(tenant.Id, new PendingNotice(tenant, notice));
    }

    // A payment (or a failure) of a subscription's invoice says something about that subscription: when it is newer than the
    // tenant's Stripe state and about a subscription the tenant does not know yet, the events that create the subscription
    // are still on their way, and it waits for them. An older one is about the past and applies as it is.
    private static async Task<HandlerResult?> WaitsForItsSubscriptionAsync(WebhookEventContext context, Tenant tenant, StripeInvoice invoice,
        CancellationToken cancellationToken)
    {
        var subscriptionId = invoice.Parent?.SubscriptionDetails?.SubscriptionId;
        if (string.IsNullOrEmpty(subscriptionId) || tenant.StripeSubscriptionId == subscriptionId
            || (tenant.StripeStateAt is { } state && context.Created < state)
            || await StripeInboxFacts.SubscriptionKnownAsync(context.Db, tenant.Id, subscriptionId, context.InboxId, cancellationToken))
            return null;
        return HandlerResult.Waiting(tenant.Id, subscriptionId);
    }

    private Task<TenantResolution> ResolveAsync(WebhookEventContext context, StripeInvoice invoice, CancellationToken cancellationToken)
    {
        var subscription = invoice.Parent?.SubscriptionDetails;
        var tenantId = TenantReferences.ParseId(invoice.Metadata, StripeMetadata.TenantId)
                       ?? TenantReferences.ParseId(subscription?.Metadata, StripeMetadata.TenantId);
        return resolver.ResolveAsync(context.Db, new TenantReferences(tenantId, invoice.CustomerId, subscription?.SubscriptionId), cancellationToken);
    }

    // The tenant filter is on (the resolver set the tenant): another tenant's invoice is never found, whatever the metadata says.
    private static async Task<Invoice?> FindLocalAsync(WebhookEventContext context, StripeInvoice invoice, CancellationToken cancellationToken)
    {
        var local = await context.Db.Invoices.SingleOrDefaultAsync(i => i.StripeInvoiceId == invoice.Id, cancellationToken);
        if (local is null && TenantReferences.ParseId(invoice.Metadata, StripeMetadata.InvoiceId) is { } localId)
            local = await context.Db.Invoices.SingleOrDefaultAsync(i => i.Id == localId && (i.StripeInvoiceId == null || i.StripeInvoiceId == invoice.Id), cancellationToken);
        return local;
    }

    private static void Mirror(WebhookEventContext context, Invoice local, StripeInvoice invoice)
    {
        local.StripeInvoiceId = invoice.Id;
        local.HostedUrl = invoice.HostedInvoiceUrl ?? local.HostedUrl;
        local.StripeStateAt = context.Created;
    }

    private static HandlerResult? OlderThanMirror(WebhookEventContext context, Tenant tenant, Invoice local) =>
        local.StripeStateAt is { } state && context.Created < state
            ? HandlerResult.Ignored(tenant.Id, string.Create(CultureInfo.InvariantCulture,
                $"Older than the local invoice's Stripe state: the event was created at {context.Created:O}, invoice {local.Number} holds state from {state:O}."))
            : null;

    private static HandlerResult NotOurs(Tenant tenant, StripeInvoice invoice) =>
        HandlerResult.Ignored(tenant.Id, $"Invoice {invoice.Id} is not one the portal issued (e.g. the subscription's own): no local invoice changes.");

    private void Record(WebhookEventContext context, Tenant tenant, string action, string target, string details) =>
        audit.RecordSystem(context.Db, tenant.Id, action, target, $"{details} ({context.Source})");
}
