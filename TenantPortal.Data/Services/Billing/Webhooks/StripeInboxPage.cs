namespace TenantPortal.Data.Services.Billing.Webhooks;

/// <summary>One page of the Stripe webhook inbox, newest first, and how many events match in all.</summary>
public sealed record StripeInboxPage(IReadOnlyList<StripeInboxRow> Rows, int Total);
