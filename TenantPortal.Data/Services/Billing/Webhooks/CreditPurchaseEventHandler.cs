using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Stripe.Checkout;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Billing.Credits;
using TenantPortal.Core.Common;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Billing.Stripe;

namespace TenantPortal.Data.Services.Billing.Webhooks;

/// <summary>
/// <c>checkout.session.completed</c> (and <c>checkout.session.async_payment_succeeded</c>) of a payment-mode session
/// that buys prepaid credits: the grant is made once per session, whatever the order or repetition of the events, because
/// the session id is unique per tenant among the grants (a repeat finds it there; a concurrent insert loses to the unique
/// index, fails, and is processed again to find it). A session not yet paid (a delayed payment method) grants nothing
/// until its <c>async_payment_succeeded</c> arrives.
/// </summary>
internal sealed class CreditPurchaseEventHandler(StripeTenantResolver resolver, AuditWriter audit)
{
    /// <summary>True for a session that buys credits (its metadata says so).</summary>
    public static bool IsCreditPurchase(Session session) =>
        session.Mode == "payment" && session.Metadata is { } m && m.TryGetValue(StripeMetadata.Purpose, out var purpose)
        && purpose == StripeMetadata.CreditsPurpose;

    public async Task<HandlerResult> PaidAsync(WebhookEventContext context, Session session, CancellationToken cancellationToken)
    {
        if (session.PaymentStatus is not ("paid" or "no_payment_required"))
            return HandlerResult.Ignored(null,
                $"Checkout session {session.Id} is {session.PaymentStatus ?? "unpaid"}: the credits are granted once Stripe reports the payment (async_payment_succeeded).");
        var tenantId = TenantReferences.ParseId(session.Metadata, StripeMetadata.TenantId) ?? TenantReferences.ParseId(session.ClientReferenceId);
        if (tenantId is null)
            return HandlerResult.Ignored(null, $"Checkout session {session.Id} buys credits but names no tenant: not the portal's.");
        var resolution = await resolver.ResolveAsync(context.Db, new TenantReferences(tenantId, session.CustomerId, null), cancellationToken);
        if (resolution.Tenant is not { } tenant)
            return resolution.Unresolved();
        var amount = Amount(session);
        if (amount is not { } cents)
            return HandlerResult.Ignored(tenant.Id, $"Checkout session {session.Id} carries no amount of credits (metadata amount_cents or amount_total).");

        if (await context.Db.CreditGrants.AnyAsync(g => g.TenantId == tenant.Id && g.CheckoutSessionId == session.Id, cancellationToken))
            return HandlerResult.Ignored(tenant.Id, $"Checkout session {session.Id} has granted its credits already.");
        var grant = CreditGrant.Create(tenant.Id, CreditSource.Purchase, cents, CreditRules.DefaultPriority(CreditSource.Purchase), null,
            $"Bought with Stripe Checkout ({session.Id})", "Stripe Checkout", context.Now, session.Id);
        if (!grant.IsSuccess)
            return HandlerResult.Ignored(tenant.Id, $"Checkout session {session.Id}: {grant.Error.Message}");
        context.Db.CreditGrants.Add(grant.Value);
        audit.RecordSystem(context.Db, tenant.Id, AuditActions.CreditsPurchased, $"credit-grant:{grant.Value.Id}",
            $"{Money.Format(cents)} of credits paid with Stripe Checkout session {session.Id} ({context.Source})");
        return HandlerResult.Processed(tenant.Id);
    }

    // The amount bought: the session's metadata (what the portal sold), else what Stripe charged.
    private static long? Amount(Session session)
    {
        if (session.Metadata is { } m && m.TryGetValue(StripeMetadata.AmountCents, out var text)
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var cents) && cents > 0)
            return cents;
        return session.AmountTotal is > 0 ? session.AmountTotal : null;
    }
}
