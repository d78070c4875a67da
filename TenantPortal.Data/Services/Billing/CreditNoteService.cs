using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;

namespace TenantPortal.Data.Services.Billing;

/// <summary>The current tenant's credit notes (Admin, as invoices): the list, those against one invoice, and one with its lines.</summary>
public sealed class CreditNoteService(IDbContextFactory<PortalDbContext> contexts)
{
    /// <summary>Every credit note of the tenant, newest first.</summary>
    public async Task<Result<IReadOnlyList<CreditNoteRow>>> ListAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewBilling, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var notes = await db.CreditNotes.AsNoTracking().ToListAsync(cancellationToken);
        return Ordered(notes);
    }

    /// <summary>The credit notes against one invoice, newest first (empty when none; an unknown invoice is not found).</summary>
    public async Task<Result<IReadOnlyList<CreditNoteRow>>> ForInvoiceAsync(Actor actor, string invoiceNumber, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewBilling, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        if (!await db.Invoices.AnyAsync(i => i.Number == invoiceNumber, cancellationToken))
            return Error.NotFound($"Invoice {invoiceNumber} was not found in this workspace.");
        var notes = await db.CreditNotes.AsNoTracking().Where(n => n.InvoiceNumber == invoiceNumber).ToListAsync(cancellationToken);
        return Ordered(notes);
    }

    /// <summary>One credit note with its lines, by number.</summary>
    public async Task<Result<CreditNoteDetail>> GetAsync(Actor actor, string number, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewBilling, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var note = await db.CreditNotes.AsNoTracking().Include(n => n.Lines).SingleOrDefaultAsync(n => n.Number == number, cancellationToken);
        if (note is null)
            return Error.NotFound($"Credit note {number} was not found in this workspace.");
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == note.TenantId, cancellationToken);
        var lines = note.Lines.OrderBy(l => l.Position)
            .Select(l => new InvoiceLineRow(l.Id, InvoiceLineKind.Adjustment, l.Metric, l.UsagePeriodStart, l.Description, l.Quantity, l.UnitPriceCents, l.AmountCents))
            .ToList();
        return new CreditNoteDetail(CreditNoteRow.From(note), tenant.Name, tenant.BillingEmail, lines);
    }

    private static List<CreditNoteRow> Ordered(List<CreditNote> notes) =>
        notes.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Number, StringComparer.Ordinal).Select(CreditNoteRow.From).ToList();
}
