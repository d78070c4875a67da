using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Tenants;

namespace TenantPortal.Web.Components.Tenant.Settings;

/// <summary>The Security card of the Settings tab: the tenant's two-factor requirement for Owners (Owner only).</summary>
public partial class SecuritySection
{
    private bool? _required;
    private bool _busy;
    private string? _error;

    [Inject] private TenantService Tenants { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>The user's access to the tenant.</summary>
    [Parameter, EditorRequired] public TenantAccess Access { get; set; } = default!;

    /// <summary>Who acts.</summary>
    [Parameter, EditorRequired] public Actor Actor { get; set; } = default!;

    /// <summary>Raised after a change, so that the audit log can refresh.</summary>
    [Parameter] public EventCallback OnChanged { get; set; }

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        var details = await Tenants.GetDetailsAsync(Actor, CancellationToken.None);
        _required = details.IsSuccess ? details.Value.RequireOwnerTwoFactor : null;
        _error = details.IsSuccess ? null : details.Error.Message;
    }

    private async Task ChangeAsync(bool required)
    {
        _busy = true;
        try
        {
            var result = await Tenants.SetOwnerTwoFactorAsync(Actor, required, CancellationToken.None);
            if (!result.IsSuccess)
            {
                _error = result.Error.Message;
                return;
            }
            (_required, _error) = (required, null);
            Snackbar.Add(required ? "Owners must now use two-factor authentication." : "Two-factor authentication is now optional for owners.", Severity.Success);
            await OnChanged.InvokeAsync();
        }
        finally
        {
            _busy = false;
        }
    }
}
