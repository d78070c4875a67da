using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using TenantPortal.Core.Common;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Components.Tenant.Billing;

/// <summary>The printable invoice, with the usage behind its overage lines.</summary>
public partial class InvoiceDocument
{
    private Actor? _actor;
    private InvoiceDetail? _detail;
    private string? _notFound;
    private string? _error;
    private (Guid TenantId, string Number)? _loadedFor;

    [Inject] private InvoiceService Invoices { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    /// <summary>The user's access to the tenant shown.</summary>
    [Parameter, EditorRequired] public TenantAccess Access { get; set; } = default!;

    /// <summary>The invoice number.</summary>
    [Parameter, EditorRequired] public string Number { get; set; } = "";

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        if (_loadedFor == (Access.TenantId, Number))
            return;
        _loadedFor = (Access.TenantId, Number);
        (_detail, _notFound, _error) = (null, null, null);
        _actor = await CurrentUser.GetActorAsync();
        if (_actor is null)
        {
            _error = "Your session has ended. Log in again to see the invoice.";
            return;
        }
        var result = await Invoices.GetAsync(_actor, Number, CancellationToken.None);
        if (result.IsSuccess)
            _detail = result.Value;
        else if (result.Error.Code == ErrorCodes.NotFound)
            _notFound = result.Error.Message;
        else
            _error = result.Error.Message;
    }

    private async Task ShowUsageAsync(InvoiceLineRow line)
    {
        if (_actor is null || _detail is null)
            return;
        var parameters = new DialogParameters<LineUsageDialog>
        {
            { d => d.Actor, _actor },
            { d => d.Number, _detail.Invoice.Number },
            { d => d.Line, line },
            { d => d.CsvUrl, BillingLinks.LineUsageCsv(Access.Slug, _detail.Invoice.Number, line.Id) },
        };
        await Dialogs.ShowAsync<LineUsageDialog>("Usage", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseOnEscapeKey = true, CloseButton = true });
    }

    // The browser's own print dialog; app.css hides the portal's chrome when printing.
    private async Task PrintAsync() => await JS.InvokeVoidAsync("print");
}
