using Microsoft.AspNetCore.Components;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Billing;

namespace TenantPortal.Web.Components.Tenant.Billing;

/// <summary>The tenant's credit notes, or those against one invoice, loaded through <see cref="CreditNoteService"/> (Admin).</summary>
public partial class CreditNotesCard
{
    private IReadOnlyList<CreditNoteRow>? _notes;
    private string? _error;
    private (Guid TenantId, string? Invoice)? _loadedFor;

    [Inject] private CreditNoteService CreditNotes { get; set; } = default!;

    /// <summary>The tenant's slug, for the addresses.</summary>
    [Parameter, EditorRequired] public string Slug { get; set; } = "";

    /// <summary>The tenant shown (a change reloads).</summary>
    [Parameter, EditorRequired] public Guid TenantId { get; set; }

    /// <summary>Who is looking; the service checks the role.</summary>
    [Parameter, EditorRequired] public Actor? Actor { get; set; }

    /// <summary>Only the credit notes against this invoice ("Credited by"); null for all of them.</summary>
    [Parameter] public string? InvoiceNumber { get; set; }

    /// <summary>The invoice's total, to show what it comes to net of its credit notes ("Credited by" only).</summary>
    [Parameter] public long? InvoiceTotalCents { get; set; }

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        if (Actor is null || _loadedFor == (TenantId, InvoiceNumber))
            return;
        _loadedFor = (TenantId, InvoiceNumber);
        var result = InvoiceNumber is null
            ? await CreditNotes.ListAsync(Actor, CancellationToken.None)
            : await CreditNotes.ForInvoiceAsync(Actor, InvoiceNumber, CancellationToken.None);
        _notes = result.IsSuccess ? result.Value : null;
        _error = result.IsSuccess ? null : result.Error.Message;
    }
}
