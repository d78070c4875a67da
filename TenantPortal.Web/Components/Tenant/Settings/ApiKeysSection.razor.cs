using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.ApiKeys;

namespace TenantPortal.Web.Components.Tenant.Settings;

/// <summary>The API keys section of the Settings tab.</summary>
public partial class ApiKeysSection
{
    private IReadOnlyList<ApiKeyRow>? _keys;
    private ApiKeyAllowance? _allowance;
    private string? _name;
    private string? _nameError;
    private string? _scopesError;
    private readonly HashSet<string> _scopes = [.. ApiKeyScopePolicy.Parse(ApiKeyScopes.Default)];
    private bool _busy;

    [Inject] private ApiKeyService ApiKeys { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>The user's access to the tenant.</summary>
    [Parameter, EditorRequired] public TenantAccess Access { get; set; } = default!;

    /// <summary>Who acts.</summary>
    [Parameter, EditorRequired] public Actor Actor { get; set; } = default!;

    /// <summary>Called after a change was saved (the audit log shows it).</summary>
    [Parameter] public EventCallback OnChanged { get; set; }

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        var allowance = await ApiKeys.AllowanceAsync(Actor, CancellationToken.None);
        _allowance = allowance.IsSuccess ? allowance.Value : null;
        var result = await ApiKeys.ListAsync(Actor, CancellationToken.None);
        if (result.IsSuccess)
            _keys = result.Value;
        else
        {
            _keys = [];
            Snackbar.Add(result.Error.Message, Severity.Error);
        }
    }

    private void ToggleScope(string scope, bool on)
    {
        _scopesError = null;
        if (on)
            _scopes.Add(scope);
        else
            _scopes.Remove(scope);
    }

    private async Task OnNameKeyDownAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter")
            await CreateAsync();
    }

    private async Task CreateAsync()
    {
        if (_busy)
            return;
        if (string.IsNullOrWhiteSpace(_name))
        {
            _nameError = "Name the key after what will use it, e.g. Production ingestion.";
            return;
        }
        _busy = true;
        try
        {
            var result = await ApiKeys.CreateAsync(Actor, _name, _scopes.ToList(), CancellationToken.None);
            if (!result.IsSuccess)
            {
                if (result.Error.Field == "name")
                    _nameError = result.Error.Message;
                else if (result.Error.Field == "scopes")
                    _scopesError = result.Error.Message;
                else if (result.Error.Code == Core.Common.ErrorCodes.ApiKeyLimitReached)
                {
                    Snackbar.Add(result.Error.Message, Severity.Warning);
                    await LoadAsync();
                }
                else
                    Snackbar.Add(result.Error.Message, Severity.Error);
                return;
            }
            _name = null;
            await LoadAsync();
            await OnChanged.InvokeAsync();
            StateHasChanged();
            var parameters = new DialogParameters<ApiKeySecretDialog> { { d => d.Key, result.Value } };
            var dialog = await Dialogs.ShowAsync<ApiKeySecretDialog>("Your new API key", parameters,
                new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, BackdropClick = false, CloseOnEscapeKey = false });
            await dialog.Result;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RevokeAsync(ApiKeyRow key)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Revoke API key",
            $"Revoke '{key.Name}' ({key.Prefix}…)? Every service that uses it is refused from now on. This can't be undone.",
            yesText: "Revoke", cancelText: "Cancel");
        if (confirmed != true)
            return;
        _busy = true;
        try
        {
            var result = await ApiKeys.RevokeAsync(Actor, key.Id, CancellationToken.None);
            if (result.IsSuccess)
                Snackbar.Add($"'{key.Name}' was revoked.", Severity.Success);
            else
                Snackbar.Add(result.Error.Message, Severity.Error);
            await LoadAsync();
            if (result.IsSuccess)
                await OnChanged.InvokeAsync();
        }
        finally
        {
            _busy = false;
        }
    }
}
