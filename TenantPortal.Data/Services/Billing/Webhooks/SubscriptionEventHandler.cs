using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Stripe;
using Stripe.Checkout;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Billing.Stripe;

namespace TenantPortal.Data.Services.Billing.Webhooks;

/// <summary>
/// <c>checkout.session.completed</c> and <c>customer.subscription.created|updated|deleted</c>: the tenant's status,
/// plan and subscription dates mirror Stripe's subscription, through the tenant's own transitions
/// (<see cref="Tenant.ApplyProviderSubscription"/>, <see cref="Tenant.EndProviderSubscription"/>). Each event is a
/// snapshot of the subscription at its creation time, and the newest wins whatever the order of arrival: one older than
/// the tenant's <see cref="Tenant.StripeStateAt"/> changes nothing, and a deleted (cancelled) subscription is final. A
/// deletion is never lost for arriving before the events that create its subscription: it ends the subscription then
/// and there when the tenant has no live one, and waits for the subscription to be known when the tenant has another
/// live subscription (docs/decisions/0003-billing-ledger-and-stripe.md).
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
        if (tenant.HasEnded(session.SubscriptionId))
            return Ended(context, tenant, session.SubscriptionId);

        var planned = StripeLookupKeys.TryParseMetadata(Metadata(session.Metadata, StripeMetadata.Tier), Metadata(session.Metadata, StripeMetadata.Cycle), out var tier, out var cycle);
        var report = new ProviderSubscription(session.SubscriptionId, ProviderSubscriptionStatus.Active)
        {
            CustomerId = session.CustomerId,
            Tier = planned ? tier : null,
            Cycle = planned ? cycle : null,
        };
        var before = Snapshot(tenant);
        var applied = tenant.ApplyProviderSubscription(report, context.EffectiveAt, context.Now);
        if (!applied.IsSuccess)
            return HandlerResult.Ignored(tenant.Id, applied.Error.Message);
        var plan = await RecordPlanAsync(context, tenant, before, applied.Value, cancellationToken);
        tenant.AdvanceStripeState(context.Created);

        if (before.SubscriptionId != session.SubscriptionId || tenant.Status != before.Status)
            Record(context, tenant, AuditActions.SubscriptionStarted, session.SubscriptionId,
                $"Checkout completed: subscription {session.SubscriptionId} on {PlanName(tenant.Tier, tenant.BillingCycle)}; status {before.Status} → {tenant.Status}" +
                (tenant.IsHeldByOperator ? " (kept: suspended by an operator)" : ""));
        else if (plan is not null)
            Record(context, tenant, AuditActions.PlanChanged, session.SubscriptionId, plan);
        return HandlerResult.Processed(tenant.Id) with { Linked = Linked(before, tenant) };
    }

    public async Task<HandlerResult> SubscriptionChangedAsync(WebhookEventContext context, Subscription subscription, CancellationToken cancellationToken)
    {
        var resolution = await ResolveAsync(context, subscription, cancellationToken);
        if (resolution.Tenant is not { } tenant)
            return resolution.Unresolved();
        // An update reporting the subscription ended is its deletion.
        if (subscription.Status is "canceled" or "incomplete_expired")
            return await EndedAsync(context, tenant, subscription, cancellationToken);
        if (OlderThanState(context, tenant) is { } older)
            return older;
        if (tenant.HasEnded(subscription.Id))
            return Ended(context, tenant, subscription.Id);
        ProviderSubscriptionStatus status;
        switch (subscription.Status)
        {
            case "active":
                status = ProviderSubscriptionStatus.Active;
                break;
            case "trialing":
                status = ProviderSubscriptionStatus.Trialing;
                break;
            case "past_due" or "unpaid":
                // A payment Stripe reported after this snapshot settled what it says is overdue.
                status = await StripeInboxFacts.TenantPaidAfterAsync(context.Db, tenant.Id, context.Created, context.InboxId, cancellationToken)
                    ? ProviderSubscriptionStatus.Active
                    : ProviderSubscriptionStatus.PastDue;
                break;
            default:
                return HandlerResult.Ignored(tenant.Id, $"Subscription {subscription.Id} is {subscription.Status}: nothing to apply until it is paid.");
        }

        var before = Snapshot(tenant);
        var applied = tenant.ApplyProviderSubscription(Report(subscription, status), context.EffectiveAt, context.Now);
        if (!applied.IsSuccess)
            return HandlerResult.Ignored(tenant.Id, applied.Error.Message);
        var plan = await RecordPlanAsync(context, tenant, before, applied.Value, cancellationToken);
        tenant.AdvanceStripeState(context.Created);

        if (before.SubscriptionId != subscription.Id && tenant.Status is TenantStatus.Active or TenantStatus.Trial)
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
        if (status != ProviderSubscriptionStatus.PastDue && tenant.Status == TenantStatus.Suspended && tenant.IsHeldByOperator && before.Status == TenantStatus.Suspended)
            Record(context, tenant, AuditActions.BillingStatusChanged, subscription.Id,
                $"Subscription is {subscription.Status}, but the tenant stays Suspended: an operator suspended it");
        return HandlerResult.Processed(tenant.Id) with { Linked = Linked(before, tenant) };
    }

    public async Task<HandlerResult> SubscriptionDeletedAsync(WebhookEventContext context, Subscription subscription, CancellationToken cancellationToken)
    {
        var resolution = await ResolveAsync(context, subscription, cancellationToken);
        if (resolution.Tenant is not { } tenant)
            return resolution.Unresolved();
        return await EndedAsync(context, tenant, subscription, cancellationToken);
    }

    private Task<TenantResolution> ResolveAsync(WebhookEventContext context, Subscription subscription, CancellationToken cancellationToken) =>
        resolver.ResolveAsync(context.Db,
            new TenantReferences(TenantReferences.ParseId(subscription.Metadata, StripeMetadata.TenantId), subscription.CustomerId, subscription.Id),
            cancellationToken);

    // A deletion (or a snapshot saying the subscription ended). No age check for the tenant's own subscription: nothing of a
    // subscription comes after its end, so the end always applies, and is final.
    private async Task<HandlerResult> EndedAsync(WebhookEventContext context, Tenant tenant, Subscription subscription, CancellationToken cancellationToken)
    {
        if (tenant.HasEnded(subscription.Id))
            return Ended(context, tenant, subscription.Id);
        if (tenant.StripeSubscriptionId is { } current && current != subscription.Id)
        {
            if (await StripeInboxFacts.SubscriptionKnownAsync(context.Db, tenant.Id, subscription.Id, context.InboxId, cancellationToken))
                return HandlerResult.Ignored(tenant.Id, $"Subscription {subscription.Id} was deleted, but the tenant has moved on to subscription {current}.");
            if (OlderThanState(context, tenant) is { } older)
                return older;
            // A subscription the tenant has not heard of yet, while another one is live: its creation is on its way.
            if (tenant.Status != TenantStatus.Cancelled)
                return HandlerResult.Waiting(tenant.Id, subscription.Id);
        }
        return await EndAsync(context, tenant, subscription, cancellationToken);
    }

    private async Task<HandlerResult> EndAsync(WebhookEventContext context, Tenant tenant, Subscription subscription, CancellationToken cancellationToken)
    {
        var before = Snapshot(tenant);
        var report = Report(subscription, ProviderSubscriptionStatus.Ended) with
        {
            EndedAt = StripeTime.UtcOrNull(subscription.EndedAt) ?? StripeTime.UtcOrNull(subscription.CanceledAt) ?? context.Created,
        };
        // Deleted before the events that create it arrived: the subscription ran from its start until its end.
        if (tenant.StripeSubscriptionId != subscription.Id)
        {
            var lived = tenant.ApplyProviderSubscription(report with { Status = ProviderSubscriptionStatus.Active }, report.StartedAt ?? context.EffectiveAt, context.Now);
            if (lived.IsSuccess && lived.Value is { } plan)
                await PlanHistory.RecordAsync(context.Db, tenant.Id, plan, cancellationToken);
        }
        var ended = tenant.EndProviderSubscription(report, context.Created, context.Now);
        if (!ended.IsSuccess)
            return HandlerResult.Ignored(tenant.Id, ended.Error.Message);
        await PlanHistory.RecordAsync(context.Db, tenant.Id, ended.Value, cancellationToken);
        tenant.AdvanceStripeState(context.Created);
        if (tenant.Status != before.Status || before.SubscriptionId != subscription.Id)
            Record(context, tenant, AuditActions.SubscriptionCancelled, subscription.Id,
                $"Subscription {subscription.Id} ended at {report.EndedAt:yyyy-MM-dd HH:mm} UTC; status {before.Status} → {tenant.Status}" +
                (tenant.IsHeldByOperator ? " (an operator's suspension still holds)" : ""));
        return HandlerResult.Processed(tenant.Id) with { Linked = Linked(before, tenant) };
    }

    private static ProviderSubscription Report(Subscription subscription, ProviderSubscriptionStatus status)
    {
        // Since API 2025-03-31 the period dates live on the subscription items.
        var item = subscription.Items?.Data?.FirstOrDefault();
        var plan = PlanOf(subscription, item);
        return new ProviderSubscription(subscription.Id, status)
        {
            CustomerId = subscription.CustomerId,
            Tier = plan?.Tier,
            Cycle = plan?.Cycle,
            StartedAt = StripeTime.UtcOrNull(subscription.StartDate),
            CurrentPeriodEndsAt = StripeTime.UtcOrNull(item?.CurrentPeriodEnd),
            CancelAtPeriodEnd = subscription.CancelAtPeriodEnd,
            TrialEndsAt = status == ProviderSubscriptionStatus.Trialing ? StripeTime.UtcOrNull(subscription.TrialEnd) : null,
        };
    }

    // Records the plan switch the tenant returned; describes the change, or null when the plan in force at its instant is
    // already this one (a change scheduled for later, e.g. a downgrade at the period end, stays scheduled).
    private static async Task<string?> RecordPlanAsync(WebhookEventContext context, Tenant tenant, TenantSnapshot before, PlanSwitch? change,
        CancellationToken cancellationToken)
    {
        if (change is null)
            return null;
        var inForce = await context.Db.PlanSegments.AsNoTracking()
            .Where(s => s.TenantId == tenant.Id && s.StartsAt <= change.At && (s.EndsAt == null || s.EndsAt > change.At))
            .OrderByDescending(s => s.StartsAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (inForce is not null && inForce.Tier == change.Tier && inForce.Cycle == change.Cycle && inForce.Charged == change.Charged
            && before.Tier == change.Tier && before.Cycle == change.Cycle)
            return null;
        await PlanHistory.RecordAsync(context.Db, tenant.Id, change, cancellationToken);
        return $"{PlanName(before.Tier, before.Cycle)} → {PlanName(change.Tier, change.Cycle)}{(change.Charged ? "" : " (not charged)")} from {change.At:yyyy-MM-dd HH:mm} UTC";
    }

    private static TenantSnapshot Snapshot(Tenant tenant) =>
        new(tenant.Status, tenant.Tier, tenant.BillingCycle, tenant.StripeSubscriptionId, tenant.StripeCustomerId, tenant.CancelAtPeriodEnd);

    // The event linked a subscription or a customer the tenant did not have: what waited for it may apply now.
    private static bool Linked(TenantSnapshot before, Tenant tenant) =>
        before.SubscriptionId != tenant.StripeSubscriptionId || before.CustomerId != tenant.StripeCustomerId;

    private sealed record TenantSnapshot(TenantStatus Status, SubscriptionTier Tier, BillingCycle Cycle, string? SubscriptionId, string? CustomerId,
        bool CancelAtPeriodEnd);

    private static (SubscriptionTier Tier, BillingCycle Cycle)? PlanOf(Subscription subscription, SubscriptionItem? item)
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

    private static HandlerResult Ended(WebhookEventContext context, Tenant tenant, string subscriptionId) =>
        HandlerResult.Ignored(tenant.Id, $"Subscription {subscriptionId} was cancelled (deleted), which is final: this {context.Event.Type} changes nothing.");

    private void Record(WebhookEventContext context, Tenant tenant, string action, string target, string details) =>
        audit.RecordSystem(context.Db, tenant.Id, action, target, $"{details} ({context.Source})");

    private static string PlanName(SubscriptionTier tier, BillingCycle cycle) => $"{tier} {cycle.ToString().ToLowerInvariant()}";

    private static string? Metadata(IDictionary<string, string>? metadata, string key) =>
        metadata is not null && metadata.TryGetValue(key, out var value) ? value : null;
}
