using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Entitlements;

namespace TenantPortal.Web.Components.Ops;

/// <summary>The entitlements card of an operator's tenant page.</summary>
public partial class OpsTenantEntitlements
{
    private IReadOnlyList<OperatorEntitlementRow>? _rows;
    private string? _error;

    [Inject] private EntitlementOverrideService Overrides { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>The tenant.</summary>
    [Parameter, EditorRequired] public Guid TenantId { get; set; }

    /// <summary>The tenant's name, for the dialog.</summary>
    [Parameter, EditorRequired] public string TenantName { get; set; } = "";

    /// <summary>The operator.</summary>
    [Parameter, EditorRequired] public Actor Actor { get; set; } = default!;

    /// <summary>Called after an override was set or removed (the page reloads its audit log).</summary>
    [Parameter] public EventCallback OnChanged { get; set; }

    /// <inheritdoc />
    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        var result = await Overrides.ListAsync(Actor, TenantId, CancellationToken.None);
        _error = result.IsSuccess ? null : result.Error.Message;
        _rows = result.IsSuccess ? result.Value : null;
    }

    private async Task OverrideAsync(OperatorEntitlementRow row)
    {
        var dialog = await Dialogs.ShowAsync<EntitlementOverrideDialog>($"Override {row.Feature.DisplayName}",
            new DialogParameters<EntitlementOverrideDialog> { { d => d.TenantName, TenantName }, { d => d.Row, row } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is not { Canceled: false, Data: EntitlementOverrideChoice choice })
            return;
        var result = choice.Request is { } request
            ? await Overrides.SetAsync(Actor, TenantId, request, choice.Reason, CancellationToken.None)
            : await Overrides.RemoveAsync(Actor, TenantId, row.Feature.Name, choice.Reason, CancellationToken.None);
        if (!result.IsSuccess)
        {
            Snackbar.Add(result.Error.Message, Severity.Error);
            return;
        }
        Snackbar.Add(choice.Request is null
            ? $"{row.Feature.DisplayName} override removed; the plan's value applies."
            : $"{row.Feature.DisplayName} is overridden for {TenantName}.", Severity.Success);
        await LoadAsync();
        await OnChanged.InvokeAsync();
    }
}
