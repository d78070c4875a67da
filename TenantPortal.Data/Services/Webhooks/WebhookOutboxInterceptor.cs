using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using TenantPortal.Core.Webhooks;
using TenantPortal.Data.Interceptors;

namespace TenantPortal.Data.Services.Webhooks;

/// <summary>
/// Nudges the dispatcher after a save that wrote webhook events, so that they go out within seconds rather than at the
/// next minute's <c>webhook-dispatch</c>. Through <see cref="TenantChangeInterceptor"/>: after the save and again when
/// its transaction commits, so events saved inside a transaction are nudged once they are visible to the dispatcher.
/// A nudge for nothing (a rollback) finds nothing to dispatch.
/// </summary>
public sealed class WebhookOutboxInterceptor(IWebhookJobs jobs) : TenantChangeInterceptor
{
    /// <inheritdoc />
    protected override Guid? TenantOf(EntityEntry entry) =>
        entry is { Entity: WebhookEvent webhookEvent, State: EntityState.Added } ? webhookEvent.TenantId : null;

    /// <inheritdoc />
    protected override void Changed(IReadOnlyCollection<Guid> tenants, IReadOnlyCollection<Guid> deleted)
    {
        if (tenants.Count > 0)
            jobs.NudgeDispatch();
    }
}
