namespace TenantPortal.Data.Services.Billing.Webhooks;

/// <summary>The answer to one delivery of a verified Stripe event.</summary>
/// <param name="InboxId">The inbox row holding the event.</param>
/// <param name="StripeEventId">Stripe's event id (<c>evt_…</c>).</param>
/// <param name="Type">The event type, e.g. <c>invoice.paid</c>.</param>
/// <param name="Outcome">What this delivery did.</param>
/// <param name="Message">Why it was ignored or failed; null when processed.</param>
public sealed record StripeWebhookReceipt(Guid InboxId, string StripeEventId, string Type, WebhookReceiptOutcome Outcome, string? Message = null);
