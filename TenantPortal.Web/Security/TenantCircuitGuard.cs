using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Server.Circuits;
using TenantPortal.Data.Services;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Web.Security;

/// <summary>
/// Checks membership, role and tenant status before every event of a circuit that works in a tenant, so that a
/// member who is removed, demoted, or whose tenant changes status, sees it at once: the event is dropped and the
/// page reloads, and the reload shows what the user may now see (a removed member gets "not found").
/// </summary>
public sealed class TenantCircuitGuard(
    TenantContext tenantContext,
    CurrentUser currentUser,
    TenantAccessService access,
    NavigationManager navigation,
    ILogger<TenantCircuitGuard> logger) : CircuitHandler
{
    private TenantAccess? _known;

    /// <inheritdoc />
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            if (await StillAllowedAsync())
                await next(context);
        };

    private async Task<bool> StillAllowedAsync()
    {
        if (tenantContext.TenantId is not { } tenantId || tenantContext.IsCrossTenant)
            return true;
        var actor = await currentUser.GetActorAsync();
        if (actor is null)
            return true;
        var now = await access.CheckAsync(tenantId, actor.UserId, CancellationToken.None);
        if (_known is not null && _known.TenantId != tenantId)
            _known = null;
        _known ??= now;
        if (now is not null && now == _known)
            return true;

        logger.LogInformation("Access of {User} to tenant {Tenant} changed ({Before} → {After}); reloading the page",
            actor.Display, tenantId, _known?.Role.ToString() ?? "none", now?.Role.ToString() ?? "removed");
        _known = now;
        navigation.Refresh(forceReload: true);
        return false;
    }
}
