using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Members;

namespace TenantPortal.Web.Components.Tenant.Settings;

/// <summary>The danger zone of the Settings tab.</summary>
public partial class DangerZoneSection
{
    private bool _busy;
    private string? _leaveRefusal;

    [Inject] private MemberService Members { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    /// <summary>The user's access to the tenant; the role decides which actions appear.</summary>
    [Parameter, EditorRequired] public TenantAccess Access { get; set; } = default!;

    /// <summary>Who acts.</summary>
    [Parameter, EditorRequired] public Actor Actor { get; set; } = default!;

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        var check = await Members.CheckLeaveAsync(Actor, CancellationToken.None);
        _leaveRefusal = check.IsSuccess ? null : check.Error.Message;
    }

    private async Task LeaveAsync()
    {
        if (_leaveRefusal is not null)
            return;
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Leave workspace",
            $"Leave {Access.Name}? You lose access at once; to come back, an admin has to invite you again.",
            yesText: "Leave", cancelText: "Stay");
        if (confirmed != true)
            return;
        _busy = true;
        try
        {
            var result = await Members.LeaveAsync(Actor, CancellationToken.None);
            if (!result.IsSuccess)
            {
                // Someone changed the owners meanwhile: the service refused; say why and keep the reason shown.
                Snackbar.Add(result.Error.Message, Severity.Error);
                if (result.Error.Code == TenantPortal.Core.Common.ErrorCodes.LastOwner)
                    _leaveRefusal = result.Error.Message;
                return;
            }
            // A fresh start: the switcher and the circuit's tenant context must forget the workspace. (An empty
            // address with forceLoad would reload the current page, so the base address is spelled out.)
            Navigation.NavigateTo(Navigation.BaseUri, forceLoad: true);
        }
        finally
        {
            _busy = false;
        }
    }

    // Both dialogs reload or leave the page themselves when they succeed.
    private Task TransferAsync() =>
        Dialogs.ShowAsync<TransferOwnershipDialog>("Transfer ownership",
            new DialogParameters<TransferOwnershipDialog> { { d => d.Access, Access }, { d => d.Actor, Actor } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });

    private Task DeleteAsync() =>
        Dialogs.ShowAsync<DeleteTenantDialog>("Delete workspace",
            new DialogParameters<DeleteTenantDialog> { { d => d.Access, Access }, { d => d.Actor, Actor } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
}
