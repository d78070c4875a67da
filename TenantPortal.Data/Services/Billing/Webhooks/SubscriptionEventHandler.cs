using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Stripe;
using Stripe.Checkout;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Billing.Stripe;

namespace TenantPortal.Data.Services.Billing.Webhooks;

/// <summary>
/// <c>checkout.session.completed</c> and <c>customer.subscription.created|updated|deleted</c>: the tenant's status,
/// plan and subscription dates mirror Stripe's subscription. Each event is a snapshot, applied only when it is not
/// older than the tenant's <see cref="Tenant.StripeStateAt"/>; a deleted (cancelled) subscription is final.
/// </summary>
internal sealed class SubscriptionEventHandler(StripeTenantResolver resolver, AuditWriter audit)
{
    public async Task<HandlerResult> CheckoutCompletedAsync(WebhookEventContext context, Session session, CancellationToken cancellationToken)
    {
        if (session.Mode != "subscription" || string.IsNullOrEmpty(session.SubscriptionId))
            return HandlerResult.Ignored(null, $"Checkout session {session.Id} did not start a subscription (mode {session.Mode}).");
        var tenantId = TenantReferences.ParseId(session.Metadata, StripeMetadata.TenantId) ?? TenantReferences.ParseId(session.ClientReferenceId);
        var resolution = await resolver.ResolveAsync(context.Db, new TenantReferences(tenantId, session.CustomerId, session.SubscriptionId), cancellationToken);
        // Checkout is what links a customer: one that names no tenant of ours is not ours, and retrying won't change that.
        if (resolution.Tenant is not { } tenant)
            return HandlerResult.Ignored(null, tenantId is null
                ? $"Checkout session {session.Id} carries no tenant reference (metadata tenant_id or client_reference_id) and its customer is not linked: not the portal's."
                : resolution.Problem!);
        if (OlderThanState(context, tenant) is { } older)
            return older;
        if (IsEnded(tenant, session.SubscriptionId))
            return Ended(context, tenant, session.SubscriptionId);

        var before = tenant.Status;
        var newSubscription = tenant.StripeSubscriptionId != session.SubscriptionId;
        tenant.StripeCustomerId ??= session.CustomerId;
        tenant.StripeSubscriptionId = session.SubscriptionId;
        if (newSubscription || tenant.SubscriptionStartedAt is null)
            tenant.SubscriptionStartedAt = context.EffectiveAt;
        if (newSubscription)
            tenant.CancelAtPeriodEnd = false;
        var activated = tenant.Status == TenantStatus.Active || BillingStatusRules.Activate(tenant, TenantStatus.Active, context.Now);
        var plan = StripeLookupKeys.TryParseMetadata(Metadata(session.Metadata, StripeMetadata.Tier), Metadata(session.Metadata, StripeMetadata.Cycle), out var tier, out var cycle)
            ? await SwitchPlanAsync(context, tenant, tier, cycle, charged: true, context.EffectiveAt, cancellationToken)
            : null;
        tenant.StripeStateAt = context.Created;

        if (newSubscription || tenant.Status != before)
            Record(context, tenant, AuditActions.SubscriptionStarted, session.SubscriptionId,
                $"Checkout completed: subscription {session.SubscriptionId} on {PlanName(tenant.Tier, tenant.BillingCycle)}; status {before} → {tenant.Status}" +
                (activated ? "" : " (kept: suspended by an operator)"));
        else if (plan is not null)
            Record(context, tenant, AuditActions.PlanChanged, session.SubscriptionId, plan);
        return HandlerResult.Processed(tenant.Id);
    }

    public async Task<HandlerResult> SubscriptionChangedAsync(WebhookEventContext context, Subscription subscription, CancellationToken cancellationToken)
    {
        var resolution = await ResolveAsync(context, subscription, cancellationToken);
        if (resolution.Tenant is not { } tenant)
            return resolution.Unresolved();
        if (OlderThanState(context, tenant) is { } older)
            return older;
        if (IsEnded(tenant, subscription.Id))
            return Ended(context, tenant, subscription.Id);
        var isCurrent = tenant.StripeSubscriptionId is null || tenant.StripeSubscriptionId == subscription.Id;
        switch (subscription.Status)
        {
            case "canceled" or "incomplete_expired":
                return isCurrent
                    ? await CancelAsync(context, tenant, subscription, cancellationToken)
                    : HandlerResult.Ignored(tenant.Id, $"Subscription {subscription.Id} ended, but the tenant's subscription is {tenant.StripeSubscriptionId}.");
            case "active" or "trialing" or "past_due" or "unpaid":
                break;
            default:
                return HandlerResult.Ignored(tenant.Id, $"Subscription {subscription.Id} is {subscription.Status}: nothing to apply until it is paid.");
        }

        var before = (tenant.Status, tenant.CancelAtPeriodEnd);
        var newSubscription = tenant.StripeSubscriptionId != subscription.Id;
        tenant.StripeCustomerId ??= subscription.CustomerId;
        tenant.StripeSubscriptionId = subscription.Id;
        tenant.SubscriptionStartedAt = StripeTime.UtcOrNull(subscription.StartDate) ?? tenant.SubscriptionStartedAt;
        // Since API 2025-03-31 the period dates live on the subscription items.
        var item = subscription.Items?.Data?.FirstOrDefault();
        tenant.CurrentPeriodEndsAt = StripeTime.UtcOrNull(item?.CurrentPeriodEnd) ?? tenant.CurrentPeriodEndsAt;
        tenant.CancelAtPeriodEnd = subscription.CancelAtPeriodEnd;
        if (subscription.Status == "trialing")
            tenant.TrialEndsAt = StripeTime.UtcOrNull(subscription.TrialEnd) ?? tenant.TrialEndsAt;

        var statusNote = await ApplyStatusAsync(context, tenant, subscription.Status, cancellationToken);
        string? plan = null;
        if (PlanOf(subscription, item) is var (tier, cycle))
            plan = await SwitchPlanAsync(context, tenant, tier, cycle, charged: subscription.Status != "trialing", context.EffectiveAt, cancellationToken);
        tenant.StripeStateAt = context.Created;

        if (newSubscription && tenant.Status is TenantStatus.Active or TenantStatus.Trial)
            Record(context, tenant, AuditActions.SubscriptionStarted, subscription.Id,
                $"Subscription {subscription.Id} ({subscription.Status}) on {PlanName(tenant.Tier, tenant.BillingCycle)}; status {before.Status} → {tenant.Status}");
        else
        {
            if (tenant.Status != before.Status)
                Record(context, tenant, AuditActions.BillingStatusChanged, subscription.Id,
                    $"Status {before.Status} → {tenant.Status}: subscription {subscription.Id} is {subscription.Status}");
            if (plan is not null)
                Record(context, tenant, AuditActions.PlanChanged, subscription.Id, plan);
        }
        if (tenant.CancelAtPeriodEnd != before.CancelAtPeriodEnd)
            Record(context, tenant, tenant.CancelAtPeriodEnd ? AuditActions.SubscriptionCancelled : AuditActions.SubscriptionReactivated, subscription.Id,
                tenant.CancelAtPeriodEnd
                    ? $"Subscription {subscription.Id} ends at the period end ({tenant.CurrentPeriodEndsAt:yyyy-MM-dd})"
                    : $"Subscription {subscription.Id} no longer ends at the period end");
        if (statusNote is not null)
            Record(context, tenant, AuditActions.BillingStatusChanged, subscription.Id, statusNote);
        return HandlerResult.Processed(tenant.Id);
    }

    public async Task<HandlerResult> SubscriptionDeletedAsync(WebhookEventContext context, Subscription subscription, CancellationToken cancellationToken)
    {
        var resolution = await ResolveAsync(context, subscription, cancellationToken);
        if (resolution.Tenant is not { } tenant)
            return resolution.Unresolved();
        // No age check: nothing of a subscription comes after its deletion, so the deletion always applies.
        if (tenant.StripeSubscriptionId is { } current && current != subscription.Id)
            return HandlerResult.Ignored(tenant.Id, $"Subscription {subscription.Id} was deleted, but the tenant's subscription is {current}.");
        return await CancelAsync(context, tenant, subscription, cancellationToken);
    }

    private Task<TenantResolution> ResolveAsync(WebhookEventContext context, Subscription subscription, CancellationToken cancellationToken) =>
        resolver.ResolveAsync(context.Db,
            new TenantReferences(TenantReferences.ParseId(subscription.Metadata, StripeMetadata.TenantId), subscription.CustomerId, subscription.Id),
            cancellationToken);

    private async Task<HandlerResult> CancelAsync(WebhookEventContext context, Tenant tenant, Subscription subscription, CancellationToken cancellationToken)
    {
        var before = tenant.Status;
        tenant.StripeCustomerId ??= subscription.CustomerId;
        tenant.StripeSubscriptionId = subscription.Id;
        tenant.Status = TenantStatus.Cancelled;
        tenant.CancelAtPeriodEnd = false;
        tenant.PastDueSince = null;
        tenant.SuspendedAt = null;
        var endedAt = StripeTime.UtcOrNull(subscription.EndedAt) ?? StripeTime.UtcOrNull(subscription.CanceledAt) ?? context.Created;
        await SwitchPlanAsync(context, tenant, tenant.Tier, tenant.BillingCycle, charged: false, endedAt < context.Now ? endedAt : context.Now, cancellationToken);
        if (tenant.StripeStateAt is null || tenant.StripeStateAt < context.Created)
            tenant.StripeStateAt = context.Created;
        if (before != TenantStatus.Cancelled)
            Record(context, tenant, AuditActions.SubscriptionCancelled, subscription.Id,
                $"Subscription {subscription.Id} ended at {endedAt:yyyy-MM-dd HH:mm} UTC; status {before} → Cancelled");
        return HandlerResult.Processed(tenant.Id);
    }

    // Returns a note when the status the subscription reports was not applied (and why).
    private static async Task<string?> ApplyStatusAsync(WebhookEventContext context, Tenant tenant, string status, CancellationToken cancellationToken)
    {
        if (status is "past_due" or "unpaid")
        {
            if (await StripeInboxFacts.TenantPaidAfterAsync(context.Db, tenant.Id, context.Created, context.InboxId, cancellationToken))
                return null;
            if (tenant.Status != TenantStatus.Suspended)
            {
                tenant.Status = TenantStatus.PastDue;
                tenant.PastDueSince ??= context.Created;
            }
            return null;
        }
        var target = status == "trialing" && tenant.Status == TenantStatus.Trial ? TenantStatus.Trial : TenantStatus.Active;
        if (tenant.Status == target)
            return null;
        // A payment failure newer than this snapshot still stands: only a newer event lifts it.
        if (BillingStatusRules.IsUnpaid(tenant) && tenant.PastDueSince > context.Created)
            return null;
        return BillingStatusRules.Activate(tenant, target, context.Now)
            ? null
            : $"Subscription is {status}, but the tenant stays Suspended: an operator suspended it";
    }

    // Null when the plan in force at `at` is already this one; else switches and describes the change.
    private static async Task<string?> SwitchPlanAsync(WebhookEventContext context, Tenant tenant, SubscriptionTier tier, BillingCycle cycle, bool charged,
        DateTimeOffset at, CancellationToken cancellationToken)
    {
        var inForce = await context.Db.PlanSegments.AsNoTracking()
            .Where(s => s.TenantId == tenant.Id && s.StartsAt <= at && (s.EndsAt == null || s.EndsAt > at))
            .OrderByDescending(s => s.StartsAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (inForce is not null && inForce.Tier == tier && inForce.Cycle == cycle && inForce.Charged == charged
            && tenant.Tier == tier && tenant.BillingCycle == cycle)
            return null;
        var from = PlanName(tenant.Tier, tenant.BillingCycle);
        await PlanHistory.SwitchAsync(context.Db, tenant, tier, cycle, charged, at, context.Now, cancellationToken);
        // Stripe carried out the change scheduled for the period end.
        if (tenant.PendingTier == tier && (tenant.PendingCycle ?? cycle) == cycle && tenant.PendingChangeAt <= context.Now)
            (tenant.PendingTier, tenant.PendingCycle, tenant.PendingChangeAt) = (null, null, null);
        return $"{from} → {PlanName(tier, cycle)}{(charged ? "" : " (not charged)")} from {at:yyyy-MM-dd HH:mm} UTC";
    }

    private static (SubscriptionTier, BillingCycle)? PlanOf(Subscription subscription, SubscriptionItem? item)
    {
        if (StripeLookupKeys.TryParsePrice(item?.Price?.LookupKey, out var tier, out var cycle))
            return (tier, cycle);
        return StripeLookupKeys.TryParseMetadata(Metadata(subscription.Metadata, StripeMetadata.Tier), Metadata(subscription.Metadata, StripeMetadata.Cycle), out tier, out cycle)
            ? (tier, cycle)
            : null;
    }

    private static HandlerResult? OlderThanState(WebhookEventContext context, Tenant tenant) =>
        tenant.StripeStateAt is { } state && context.Created < state
            ? HandlerResult.Ignored(tenant.Id, string.Create(CultureInfo.InvariantCulture,
                $"Older than the tenant's Stripe state: the event was created at {context.Created:O}, the state applied is from {state:O}."))
            : null;

    // A cancelled subscription never comes back: Stripe creates a new one (a new id) for a new subscription.
    private static bool IsEnded(Tenant tenant, string subscriptionId) =>
        tenant.Status == TenantStatus.Cancelled && tenant.StripeSubscriptionId == subscriptionId;

    private static HandlerResult Ended(WebhookEventContext context, Tenant tenant, string subscriptionId) =>
        HandlerResult.Ignored(tenant.Id, $"Subscription {subscriptionId} was cancelled (deleted), which is final: this {context.Event.Type} changes nothing.");

    private void Record(WebhookEventContext context, Tenant tenant, string action, string target, string details) =>
        audit.RecordSystem(context.Db, tenant.Id, action, target, $"{details} ({context.Source})");

    private static string PlanName(SubscriptionTier tier, BillingCycle cycle) => $"{tier} {cycle.ToString().ToLowerInvariant()}";

    private static string? Metadata(IDictionary<string, string>? metadata, string key) =>
        metadata is not null && metadata.TryGetValue(key, out var value) ? value : null;
}
