using Stripe;

namespace TenantPortal.Data.Services.Billing.Webhooks;

/// <summary>One event being processed: the context of its transaction, the parsed event, its inbox row and the current time.</summary>
internal sealed record WebhookEventContext(PortalDbContext Db, Event Event, Guid InboxId, DateTimeOffset Now)
{
    /// <summary>When Stripe created the event: the clock that orders events.</summary>
    public DateTimeOffset Created { get; } = StripeTime.Utc(Event.Created);

    /// <summary>When a change the event reports takes effect locally: its creation time, never in the future of our clock.</summary>
    public DateTimeOffset EffectiveAt => Created < Now ? Created : Now;

    /// <summary>How audit entries name the event.</summary>
    public string Source => $"Stripe event {Event.Id}";
}
