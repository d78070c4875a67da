using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Components.Ops;

/// <summary>The operators' list of ledger invoices to settle, with mark-paid and void (each with a reason).</summary>
public partial class OpsInvoicesPage
{
    [Inject] private InvoiceSettlementService Settlement { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    private IReadOnlyList<OpenInvoiceRow>? _rows;
    private string? _error;
    private Actor? _actor;

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
        var rows = await Settlement.ListOpenAsync(_actor, CancellationToken.None);
        _rows = rows.IsSuccess ? rows.Value : [];
        _error = rows.IsSuccess ? null : rows.Error.Message;
    }

    private async Task SettleAsync(OpenInvoiceRow invoice, bool @void)
    {
        var dialog = await Dialogs.ShowAsync<SettleInvoiceDialog>(null,
            new DialogParameters<SettleInvoiceDialog> { { d => d.Invoice, invoice }, { d => d.Void, @void } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var answer = await dialog.Result;
        if (answer is null || answer.Canceled || answer.Data is not string reason || _actor is null)
            return;
        var result = @void
            ? await Settlement.VoidAsync(_actor, invoice.Id, reason, CancellationToken.None)
            : await Settlement.MarkPaidAsync(_actor, invoice.Id, reason, CancellationToken.None);
        if (result.IsSuccess)
            Snackbar.Add($"{invoice.Number} {(@void ? "voided" : "marked paid")}.", Severity.Success);
        else
            Snackbar.Add(result.Error.Message, Severity.Error);
        await LoadAsync();
    }
}
