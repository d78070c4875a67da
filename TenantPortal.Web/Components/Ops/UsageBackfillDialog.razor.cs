using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;
using TenantPortal.Core.Common;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Metering.Corrections;

namespace TenantPortal.Web.Components.Ops;

/// <summary>Reads the operator's CSV, previews it through <see cref="BackfillPreviewService"/>, and applies it as one correction.</summary>
public partial class UsageBackfillDialog
{
    private BackfillPreview? _preview;
    private IReadOnlyList<BackfillCsvError>? _errors;
    private string? _fileError;
    private string? _applyError;
    private string? _reasonError;
    private string? _reason;
    private bool _busy;
    // One id per dialog: Apply pressed twice (or retried after a lost answer) is the same correction, applied once.
    private readonly string _correctionId = string.Create(CultureInfo.InvariantCulture,
        $"backfill-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..8]}");

    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;
    [Inject] private BackfillPreviewService Previews { get; set; } = default!;
    [Inject] private UsageCorrectionService Corrections { get; set; } = default!;

    /// <summary>The tenant whose usage is backfilled.</summary>
    [Parameter, EditorRequired] public Guid TenantId { get; set; }

    /// <summary>The operator.</summary>
    [Parameter, EditorRequired] public Actor Actor { get; set; } = default!;

    private async Task ReadAsync(InputFileChangeEventArgs e)
    {
        (_preview, _errors, _fileError, _applyError) = (null, null, null, null);
        if (e.File.Size > BackfillCsv.MaxBytes)
        {
            _fileError = $"{e.File.Name} is larger than {BackfillCsv.MaxBytes / 1024} KB; split it into several backfills.";
            return;
        }
        _busy = true;
        try
        {
            string text;
            await using (var stream = e.File.OpenReadStream(BackfillCsv.MaxBytes))
            using (var reader = new StreamReader(stream))
                text = await reader.ReadToEndAsync();
            var result = await Previews.PreviewCsvAsync(Actor, TenantId, text, CancellationToken.None);
            if (!result.IsSuccess)
                _fileError = result.Error.Message;
            else
                (_preview, _errors) = (result.Value.Preview, result.Value.Errors);
        }
        catch (IOException)
        {
            _fileError = $"{e.File.Name} could not be read; choose it again.";
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task ApplyAsync()
    {
        if (_preview is null)
            return;
        _busy = true;
        _applyError = _reasonError = null;
        var request = new UsageCorrectionRequest(_correctionId, _reason!.Trim(), _preview.Items);
        var result = await Corrections.CreateForTenantAsync(Actor, TenantId, request, CancellationToken.None);
        _busy = false;
        if (result.IsSuccess)
        {
            Dialog.Close(DialogResult.Ok(result.Value.Correction.Id));
            return;
        }
        if (result.Error.Field == "reason")
            _reasonError = result.Error.Message;
        else
            _applyError = result.Error.Message;
    }

    private static string EffectText(BackfillEffect effect) => effect.Kind switch
    {
        BackfillEffectKind.RunningEstimate => "Running estimate of the current period",
        BackfillEffectKind.NotYetInvoiced => "Billed on the period's coming invoice",
        BackfillEffectKind.Adjustment => $"Adjustment line on the next invoice (invoiced on {effect.InvoiceNumber})",
        BackfillEffectKind.CreditNote => $"Credit note against {effect.InvoiceNumber}, issued at once",
        BackfillEffectKind.OutsideLateUsageWindow => $"Not billed: {effect.InvoiceNumber} is older than the late-usage window",
        _ => "No change to the bill",
    };
}
