using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Operations;

namespace TenantPortal.Data.Services.Billing;

/// <summary>
/// Operators settle ledger invoices: mark one paid (a bank transfer arrived) or void it (nothing is owed), each with a
/// reason that goes into the tenant's audit log. Paying the last overdue invoice of a PastDue tenant, or of one
/// suspended for non-payment, makes it Active again. Invoices billed through Stripe are settled there, not here.
/// </summary>
public sealed class InvoiceSettlementService(IDbContextFactory<PortalDbContext> contexts, ITenantContext tenantContext, AuditWriter audit, TimeProvider time)
{
    /// <summary>Every ledger invoice awaiting settlement (Open or Draft) across the fleet, oldest due first (Operator).</summary>
    public async Task<Result<IReadOnlyList<OpenInvoiceRow>>> ListOpenAsync(Actor actor, CancellationToken cancellationToken)
    {
        using var scope = tenantContext.BeginCrossTenantScope("operators listing ledger invoices to settle");
        await using var db = contexts.CreateDbContext();
        if (!await OperatorRole.IsOperatorAsync(db, actor, cancellationToken))
            return Error.Forbidden("Only operators can settle invoices.");
        var rows = await (from i in db.Invoices.AsNoTracking()
                          join t in db.Tenants on i.TenantId equals t.Id
                          where (i.Status == InvoiceStatus.Open || i.Status == InvoiceStatus.Draft) && i.StripeInvoiceId == null
                          select new OpenInvoiceRow(i.Id, t.Slug, t.Name, i.Number, i.PeriodStart, i.Status, i.TotalCents, i.DueAt))
            .ToListAsync(cancellationToken);
        return rows.OrderBy(r => r.DueAt).ThenBy(r => r.Number, StringComparer.Ordinal).ToList();
    }

    /// <summary>Marks an Open ledger invoice paid (Operator).</summary>
    public Task<Result> MarkPaidAsync(Actor actor, Guid invoiceId, string? reason, CancellationToken cancellationToken) =>
        SettleAsync(actor, invoiceId, reason, InvoiceStatus.Paid, cancellationToken);

    /// <summary>Voids an Open or Draft ledger invoice (Operator).</summary>
    public Task<Result> VoidAsync(Actor actor, Guid invoiceId, string? reason, CancellationToken cancellationToken) =>
        SettleAsync(actor, invoiceId, reason, InvoiceStatus.Void, cancellationToken);

    private async Task<Result> SettleAsync(Actor actor, Guid invoiceId, string? reason, InvoiceStatus target, CancellationToken cancellationToken)
    {
        var why = OperatorReason.Validate(reason);
        if (!why.IsSuccess)
            return why.Error;
        using var scope = tenantContext.BeginCrossTenantScope("operator settling a ledger invoice");
        await using var db = contexts.CreateDbContext();
        if (!await OperatorRole.IsOperatorAsync(db, actor, cancellationToken))
            return Error.Forbidden("Only operators can settle invoices.");
        var invoice = await db.Invoices.SingleOrDefaultAsync(i => i.Id == invoiceId, cancellationToken);
        if (invoice is null)
            return Error.NotFound("That invoice was not found.");
        if (invoice.StripeInvoiceId is not null)
            return new Error(ErrorCodes.InvoiceState, $"Invoice {invoice.Number} is billed through Stripe; settle it there.");
        var allowed = target == InvoiceStatus.Paid ? invoice.Status == InvoiceStatus.Open : invoice.Status is InvoiceStatus.Open or InvoiceStatus.Draft;
        if (!allowed)
            return new Error(ErrorCodes.InvoiceState, $"Invoice {invoice.Number} is {invoice.Status.ToString().ToLowerInvariant()}; it can't be {(target == InvoiceStatus.Paid ? "marked paid" : "voided")}.");

        var now = time.GetUtcNow();
        invoice.Status = target;
        if (target == InvoiceStatus.Paid)
            invoice.PaidAt = now;
        audit.Record(db, invoice.TenantId, actor, target == InvoiceStatus.Paid ? AuditActions.InvoicePaid : AuditActions.InvoiceVoided,
            $"invoice:{invoice.Number}", $"{Money.Format(invoice.TotalCents)}; reason: {why.Value}");

        var tenant = await db.Tenants.SingleAsync(t => t.Id == invoice.TenantId, cancellationToken);
        var stillOverdue = await db.Invoices.AnyAsync(i => i.TenantId == tenant.Id && i.Id != invoice.Id && i.Status == InvoiceStatus.Open
            && i.StripeInvoiceId == null && i.DueAt <= now, cancellationToken);
        var before = tenant.Status;
        // Settling the last overdue invoice ends dunning (the payment is as of now: it settles whatever became due before).
        if (!stillOverdue && tenant.RecordPayment(now, now).IsSuccess)
        {
            audit.Record(db, tenant.Id, actor, AuditActions.BillingStatusChanged, $"tenant:{tenant.Slug}", tenant.Status == before
                ? $"Dunning ended: settled with {invoice.Number}; still {tenant.Status}: an operator suspended it"
                : $"Active again: {before} settled with {invoice.Number}");
            tenant.ConcurrencyStamp = Guid.NewGuid();
        }
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success();
    }

}
