using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Tenants;

namespace TenantPortal.Web.Components.Tenant.Settings;

/// <summary>The Details section of the Settings tab.</summary>
public partial class TenantDetailsForm
{
    // The field names the services use in Error.Field.
    private const string NameField = "name";
    private const string BillingEmailField = "billingEmail";
    private const string CustomDomainField = "customDomain";

    private readonly Dictionary<string, string> _errors = new(StringComparer.OrdinalIgnoreCase);
    private TenantDetails? _details;
    private string? _name;
    private string? _billingEmail;
    private string? _customDomain;
    private string? _loadError;
    private string? _conflict;
    private string? _error;
    private bool _busy;

    [Inject] private TenantService Tenants { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    /// <summary>The user's access to the tenant; admins edit.</summary>
    [Parameter, EditorRequired] public TenantAccess Access { get; set; } = default!;

    /// <summary>Who acts.</summary>
    [Parameter, EditorRequired] public Actor Actor { get; set; } = default!;

    /// <summary>Called after a change was saved (the audit log shows it).</summary>
    [Parameter] public EventCallback OnChanged { get; set; }

    private bool CanEdit => Access.Can(TenantPermission.EditSettings);

    // Honest about routing: a domain opens the workspace only once verified, and verification is not available yet.
    private string CustomDomainHelp => _details?.CustomDomain is null || (_customDomain ?? "").Trim() != _details.CustomDomain
        ? "A host name of yours that opens this workspace once verified. Optional."
        : _details.CustomDomainVerifiedAt is null
            ? "Not verified yet: it does not open this workspace until its DNS is verified (coming in a later release)."
            : $"Verified {_details.CustomDomainVerifiedAt:d MMM yyyy}: it opens this workspace.";

    private bool IsDirty => _details is not null &&
        (_name != _details.Name || (_billingEmail ?? "") != (_details.BillingEmail ?? "") || (_customDomain ?? "") != (_details.CustomDomain ?? ""));

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => ReloadAsync();

    private async Task ReloadAsync()
    {
        var result = await Tenants.GetDetailsAsync(Actor, CancellationToken.None);
        if (!result.IsSuccess)
        {
            _loadError = result.Error.Message;
            return;
        }
        Show(result.Value);
        _conflict = null;
    }

    private void Reset()
    {
        if (_details is not null)
            Show(_details);
    }

    private void Show(TenantDetails details)
    {
        _details = details;
        (_name, _billingEmail, _customDomain) = (details.Name, details.BillingEmail, details.CustomDomain);
        _errors.Clear();
        _error = null;
    }

    private async Task SaveAsync()
    {
        if (_details is null || _busy)
            return;
        _errors.Clear();
        (_error, _conflict) = (null, null);
        if (string.IsNullOrWhiteSpace(_name))
        {
            _errors[NameField] = "The name is required.";
            return;
        }
        _busy = true;
        try
        {
            var renamed = _name.Trim() != _details.Name;
            var result = await Tenants.UpdateAsync(Actor,
                new UpdateTenantRequest(_name, _billingEmail, _customDomain, _details.ConcurrencyStamp), CancellationToken.None);
            if (result.IsSuccess)
            {
                Show(result.Value);
                Snackbar.Add("The settings were saved.", Severity.Success);
                await OnChanged.InvokeAsync();
                // The header, the switcher and the page title show the name: reload now rather than at the next click,
                // which is when the circuit guard, seeing the tenant changed, would reload.
                if (renamed)
                    Navigation.Refresh(forceReload: true);
                return;
            }
            var error = result.Error;
            if (error.Code == ErrorCodes.ConcurrencyConflict)
                _conflict = error.Message;
            else if (error.Field is { } field && field is NameField or BillingEmailField or CustomDomainField)
                _errors[field] = error.Message;
            else
                _error = error.Message;
        }
        finally
        {
            _busy = false;
        }
    }
}
