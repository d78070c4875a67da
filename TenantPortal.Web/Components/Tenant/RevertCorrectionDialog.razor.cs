using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Metering.Corrections;

namespace TenantPortal.Web.Components.Tenant;

/// <summary>The confirmation of a correction's revert, with its reason; the revert itself is made (and checked) by the service.</summary>
public partial class RevertCorrectionDialog
{
    private string? _reason;
    private string? _error;

    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;

    /// <summary>The correction to revert.</summary>
    [Parameter, EditorRequired] public UsageCorrectionView Correction { get; set; } = default!;

    private void Confirm()
    {
        var check = UsageCorrectionRules.CheckReason(_reason);
        if (!check.IsSuccess)
        {
            _error = check.Error!.Message;
            return;
        }
        Dialog.Close(DialogResult.Ok(_reason!));
    }

    private void Cancel() => Dialog.Cancel();
}
