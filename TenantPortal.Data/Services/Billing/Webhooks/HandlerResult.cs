using TenantPortal.Core.Billing;

namespace TenantPortal.Data.Services.Billing.Webhooks;

/// <summary>What a handler decided for one event: the inbox outcome, the tenant concerned, why (when not processed) and the notices to send after the commit.</summary>
internal sealed record HandlerResult(WebhookOutcome Outcome, Guid? TenantId, string? Note, IReadOnlyList<PendingNotice> Notices)
{
    /// <summary>
    /// True when the event linked the tenant to a Stripe subscription or customer it did not have: events that waited for
    /// it (<see cref="Waiting"/>, or an unknown customer) are processed again at once.
    /// </summary>
    public bool Linked { get; init; }

    public static HandlerResult Processed(Guid tenantId, params PendingNotice[] notices) => new(WebhookOutcome.Processed, tenantId, null, notices);

    public static HandlerResult Ignored(Guid? tenantId, string why) => new(WebhookOutcome.Ignored, tenantId, why, []);

    /// <summary>Nothing applied yet, but it may apply later (e.g. the tenant is not linked yet): the event stays to be retried.</summary>
    public static HandlerResult Failed(Guid? tenantId, string why) => new(WebhookOutcome.Failed, tenantId, why, []);

    /// <summary>
    /// The event is about a subscription the tenant does not know yet (its creation is still on its way): it is kept, and
    /// applied once an event links that subscription (or by the retry job).
    /// </summary>
    public static HandlerResult Waiting(Guid tenantId, string subscriptionId) =>
        Failed(tenantId, $"{WaitingPrefix} {subscriptionId}: it is applied once the subscription is known (an event that creates it links it).");

    /// <summary>How the inbox marks an event that waits for its subscription.</summary>
    public const string WaitingPrefix = "Waiting for subscription";
}
