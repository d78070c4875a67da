using TenantPortal.Core.Billing;

namespace TenantPortal.Data.Services.Billing.Webhooks;

/// <summary>What a handler decided for one event: the inbox outcome, the tenant concerned, why (when not processed) and the notices to send after the commit.</summary>
internal sealed record HandlerResult(WebhookOutcome Outcome, Guid? TenantId, string? Note, IReadOnlyList<PendingNotice> Notices)
{
    public static HandlerResult Processed(Guid tenantId, params PendingNotice[] notices) => new(WebhookOutcome.Processed, tenantId, null, notices);

    public static HandlerResult Ignored(Guid? tenantId, string why) => new(WebhookOutcome.Ignored, tenantId, why, []);

    /// <summary>Nothing applied yet, but it may apply later (e.g. the tenant is not linked yet): the event stays to be retried.</summary>
    public static HandlerResult Failed(Guid? tenantId, string why) => new(WebhookOutcome.Failed, tenantId, why, []);
}
