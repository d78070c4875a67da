using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Server.Circuits;
using TenantPortal.Core.Members;
using TenantPortal.Data.Services;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Web.Security;

/// <summary>
/// Checks membership, role and tenant status before every event of a circuit that works in a tenant, so that a
/// member who is removed, demoted, or whose tenant changes status, sees it at once: the event is dropped; a removed
/// member is sent to the home page (their remaining workspaces), anyone else's page reloads with what they may now see.
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

    /// <summary>
    /// Takes the access as it is after a change this circuit made itself (a plan change moves a trial to Active, for
    /// instance), so that the next event is not taken for a change made elsewhere and the page does not reload.
    /// </summary>
    public void Acknowledge(TenantAccess current)
    {
        if (_known is null || _known.TenantId == current.TenantId)
            _known = current;
    }

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
        // Only what decides access counts: a renamed tenant is not a reason to reload. An Owner whose tenant has just
        // started to require two-factor authentication is stopped too: the reload shows them how to set it up.
        if (now is not null && now.Role == _known?.Role && now.Status == _known.Status
            // The membership read says whether the tenant asks, so other members and tenants cost no query more per event.
            && !(now is { Role: TenantRole.Owner, OwnersNeedTwoFactor: true }
                && await access.LacksRequiredSecondFactorAsync(now, actor.UserId, await currentUser.SignedInWithSecondFactorAsync(), CancellationToken.None)))
            return true;

        logger.LogInformation("Access of {User} to tenant {Tenant} changed ({Before} → {After})",
            actor.Display, tenantId, _known?.Role.ToString() ?? "none", now?.Role.ToString() ?? "removed");
        _known = now;
        if (now is null)
            navigation.NavigateTo(navigation.BaseUri, forceLoad: true);
        else
            navigation.Refresh(forceReload: true);
        return false;
    }
}
