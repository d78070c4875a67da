using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Billing.Webhooks;

/// <summary>The tenant an event concerns, or why there is none: <see cref="MayAppearLater"/> when no checkout has linked it yet.</summary>
internal sealed record TenantResolution(Tenant? Tenant, string? Problem, bool MayAppearLater)
{
    /// <summary>The handler's answer when there is no tenant: retried when it may appear later, ignored when it is not ours.</summary>
    public HandlerResult Unresolved() => MayAppearLater ? HandlerResult.Failed(null, Problem!) : HandlerResult.Ignored(null, Problem!);
}
