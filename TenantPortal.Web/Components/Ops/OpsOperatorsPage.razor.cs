using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Data.Services;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Components.Ops;

/// <summary>The operators: who they are, inviting another, removing one.</summary>
public partial class OpsOperatorsPage
{
    [Inject] private OperatorAccountService Accounts { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private PortalAddresses Addresses { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private IReadOnlyList<OperatorAccount>? _operators;
    private Actor? _actor;
    private string? _email;
    private string? _emailError;
    private string? _error;
    private bool _busy;

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        _actor = await CurrentUser.GetActorAsync();
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        if (_actor is null)
            return;
        var list = await Accounts.ListAsync(_actor);
        _operators = list.IsSuccess ? list.Value : [];
        _error = list.IsSuccess ? null : list.Error.Message;
    }

    private async Task InviteAsync()
    {
        if (_actor is null)
            return;
        _busy = true;
        try
        {
            var result = await Accounts.InviteAsync(_actor, _email, Addresses.Link("/Account/ResetPassword"));
            _emailError = result.IsSuccess ? null : result.Error.Message;
            if (!result.IsSuccess)
                return;
            Snackbar.Add($"{_email!.Trim()} is an operator now.", Severity.Success);
            _email = null;
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RemoveAsync(OperatorAccount account)
    {
        if (_actor is null)
            return;
        var confirmed = await Dialogs.ShowMessageBoxAsync("Remove operator", $"Take the Operator role from {account.Email}? They are signed out of the operations pages.",
            yesText: "Remove", cancelText: "Cancel");
        if (confirmed != true)
            return;
        _busy = true;
        try
        {
            var result = await Accounts.RemoveAsync(_actor, account.UserId);
            Snackbar.Add(result.IsSuccess ? $"{account.Email} is no longer an operator." : result.Error.Message, result.IsSuccess ? Severity.Success : Severity.Error);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }
}
