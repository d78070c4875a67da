using TenantPortal.Core.Billing;

namespace TenantPortal.Data.Services.Billing.Webhooks;

/// <summary>One Stripe webhook event of the inbox, as the operators list it (without its payload).</summary>
/// <param name="Id">The inbox row.</param>
/// <param name="StripeEventId">Stripe's event id (<c>evt_…</c>).</param>
/// <param name="Type">The event type, e.g. <c>invoice.paid</c>.</param>
/// <param name="ApiVersion">The Stripe API version the event was rendered with.</param>
/// <param name="TenantSlug">The tenant it concerns, once known.</param>
/// <param name="ReceivedAt">When it arrived.</param>
/// <param name="ProcessedAt">When it was processed successfully.</param>
/// <param name="Outcome">Outcome of the last processing.</param>
/// <param name="Attempts">How many times processing was attempted.</param>
/// <param name="Error">The error of the last failed processing.</param>
public sealed record StripeInboxRow(
    Guid Id, string StripeEventId, string Type, string? ApiVersion, string? TenantSlug, DateTimeOffset ReceivedAt,
    DateTimeOffset? ProcessedAt, WebhookOutcome Outcome, int Attempts, string? Error)
{
    /// <summary>Whether an operator may process it again: it is pending or failed.</summary>
    public bool CanProcessAgain => Outcome is WebhookOutcome.Pending or WebhookOutcome.Failed;
}
