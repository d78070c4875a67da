using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Core.Entitlements;
using TenantPortal.Core.Members;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Entitlements;
using TenantPortal.Data.Services.Scim;

namespace TenantPortal.Web.Components.Tenant.Settings;

/// <summary>The Provisioning (SCIM) section of the Settings tab; the services check the role and the entitlement again.</summary>
public partial class ScimSection
{
    private IReadOnlyList<ScimTokenRow>? _tokens;
    private IReadOnlyList<ScimRoleMappingRow>? _mappings;
    private bool? _entitled;
    private string? _tokenName;
    private string? _tokenNameError;
    private string? _groupName;
    private string? _groupNameError;
    private TenantRole _groupRole = TenantRole.Admin;
    private bool _busy;

    [Inject] private ScimTokenService Tokens { get; set; } = default!;
    [Inject] private ScimRoleMappingService Mappings { get; set; } = default!;
    [Inject] private EntitlementService Entitlements { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>The user's access to the tenant.</summary>
    [Parameter, EditorRequired] public TenantAccess Access { get; set; } = default!;

    /// <summary>Who acts.</summary>
    [Parameter, EditorRequired] public Actor Actor { get; set; } = default!;

    private string BaseUrl => Tokens.BaseUrl.AbsoluteUri;

    private string BillingPath => "/" + TenantTabs.Path(Access.Slug, TenantTab.Billing);

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        var scim = await Entitlements.GetAsync(Actor, EntitlementFeatures.Scim, CancellationToken.None);
        _entitled = scim.IsSuccess && scim.Value.Enabled;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var tokens = await Tokens.ListAsync(Actor, CancellationToken.None);
        var mappings = await Mappings.ListAsync(Actor, CancellationToken.None);
        _tokens = tokens.IsSuccess ? tokens.Value : [];
        _mappings = mappings.IsSuccess ? mappings.Value : [];
        if (!tokens.IsSuccess)
            Snackbar.Add(tokens.Error.Message, Severity.Error);
    }

    private async Task CreateTokenAsync()
    {
        if (_busy)
            return;
        if (string.IsNullOrWhiteSpace(_tokenName))
        {
            _tokenNameError = "Name the token after the directory that will use it, e.g. Okta.";
            return;
        }
        _busy = true;
        try
        {
            var result = await Tokens.CreateAsync(Actor, _tokenName, CancellationToken.None);
            if (!result.IsSuccess)
            {
                if (result.Error.Field == "name")
                    _tokenNameError = result.Error.Message;
                else
                    Snackbar.Add(result.Error.Message, Severity.Error);
                return;
            }
            _tokenName = null;
            await LoadAsync();
            StateHasChanged();
            var parameters = new DialogParameters<ScimTokenSecretDialog> { { d => d.Token, result.Value } };
            var dialog = await Dialogs.ShowAsync<ScimTokenSecretDialog>("Your new SCIM token", parameters,
                new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, BackdropClick = false, CloseOnEscapeKey = false });
            await dialog.Result;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RevokeTokenAsync(ScimTokenRow token)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Revoke SCIM token",
            $"Revoke '{token.Name}' ({token.Prefix}…)? Your directory is refused from now on and stops provisioning. This can't be undone.",
            yesText: "Revoke", cancelText: "Cancel");
        if (confirmed != true)
            return;
        _busy = true;
        try
        {
            var result = await Tokens.RevokeAsync(Actor, token.Id, CancellationToken.None);
            Snackbar.Add(result.IsSuccess ? $"'{token.Name}' was revoked." : result.Error.Message, result.IsSuccess ? Severity.Success : Severity.Error);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task MapGroupAsync()
    {
        if (_busy)
            return;
        if (string.IsNullOrWhiteSpace(_groupName))
        {
            _groupNameError = "Enter the group's name as your directory sends it, e.g. portal-admins.";
            return;
        }
        _busy = true;
        try
        {
            var result = await Mappings.SetAsync(Actor, _groupName, _groupRole, CancellationToken.None);
            if (!result.IsSuccess)
            {
                if (result.Error.Field == "groupName")
                    _groupNameError = result.Error.Message;
                else
                    Snackbar.Add(result.Error.Message, Severity.Error);
                return;
            }
            Snackbar.Add($"Members of {result.Value.GroupName} are {result.Value.Role} now.", Severity.Success);
            _groupName = null;
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RemoveMappingAsync(ScimRoleMappingRow mapping)
    {
        _busy = true;
        try
        {
            var result = await Mappings.RemoveAsync(Actor, mapping.Id, CancellationToken.None);
            Snackbar.Add(result.IsSuccess ? $"{mapping.GroupName} no longer maps to a role." : result.Error.Message, result.IsSuccess ? Severity.Success : Severity.Error);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }
}
