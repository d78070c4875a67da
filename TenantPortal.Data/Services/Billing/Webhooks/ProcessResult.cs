using TenantPortal.Core.Billing;

namespace TenantPortal.Data.Services.Billing.Webhooks;

/// <summary>The result of one processing attempt: the outcome stored, or null when another delivery had claimed the event.</summary>
internal sealed record ProcessResult(WebhookOutcome? Outcome, string? Error)
{
    /// <summary>The tenant the event linked to a new Stripe subscription or customer, when it did.</summary>
    public Guid? LinkedTenantId { get; init; }

    public static ProcessResult NotClaimed { get; } = new(null, null);
}
