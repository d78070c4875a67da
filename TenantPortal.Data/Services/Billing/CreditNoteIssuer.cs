using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Audit;

namespace TenantPortal.Data.Services.Billing;

/// <summary>
/// Settles the current tenant's invoiced periods whose usage came down after they were invoiced: for each period with an
/// issued invoice (not Draft or Void), what its overage comes to now is compared with what was billed for it net of earlier
/// credit notes (<see cref="PeriodBilling"/>), and a shortfall becomes a credit note for the exact difference, per metric,
/// to the cent. The note is stored first (Pending: it counts as credited from then on), then carried out by the gateway
/// (the ledger, or Stripe for an invoice in Stripe); one the provider could not take stays Pending and is issued by the
/// next settlement (the monthly-invoicing job runs one for every tenant, every day). Everything is recomputed from the
/// database, so running twice or concurrently credits once: the period's next number is unique per tenant, and a
/// settlement that loses the insert recomputes and finds nothing left to credit. An increase is never settled here: the
/// next invoice's adjustment line bills it (<see cref="InvoiceBuilder"/>).
/// </summary>
public sealed class CreditNoteIssuer(
    IDbContextFactory<PortalDbContext> contexts,
    ITenantContext tenantContext,
    IPaymentGateway gateway,
    AuditWriter audit,
    TimeProvider time,
    ILogger<CreditNoteIssuer> logger)
{
    /// <summary>The reason recorded on credit notes the daily settlement finds (no correction named them).</summary>
    public const string DailyReason = "Usage of an invoiced period came down after it was invoiced (daily settlement)";

    private const int Attempts = 3;
    private static readonly LedgerGateway Ledger = new();

    /// <summary>
    /// Settles the current tenant's invoiced <paramref name="periods"/> (first instants of months; null: the periods of the
    /// late-usage window before now, whose usage may still change by ingestion), then issues every pending credit note.
    /// </summary>
    /// <param name="periods">The usage periods to settle, or null for the recent ones.</param>
    /// <param name="reason">Recorded on the credit notes.</param>
    /// <param name="correctionId">The correction that changed the usage, if one did.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<CreditNoteSummary> SettleCurrentTenantAsync(IReadOnlyCollection<DateTimeOffset>? periods, string reason, string? correctionId,
        CancellationToken cancellationToken)
    {
        var tenantId = tenantContext.TenantId ?? throw new InvalidOperationException("Settling credit notes needs a current tenant.");
        await using var db = contexts.CreateDbContext();
        var tenant = await db.Tenants.AsNoTracking().Include(t => t.QuotaOverrides).SingleAsync(t => t.Id == tenantId, cancellationToken);
        var query = db.Invoices.AsNoTracking().Where(i => i.Status != InvoiceStatus.Draft && i.Status != InvoiceStatus.Void);
        if (periods is null)
        {
            var earliest = time.GetUtcNow() - InvoiceIssuance.LateUsageWindow;
            query = query.Where(i => i.PeriodEnd > earliest);
        }
        else
        {
            var wanted = periods.Distinct().ToList();
            query = query.Where(i => wanted.Contains(i.PeriodStart));
        }
        var invoices = await query.OrderBy(i => i.PeriodStart).ToListAsync(cancellationToken);

        var summary = CreditNoteSummary.None;
        foreach (var invoice in invoices)
            summary += await SettlePeriodAsync(db, tenant, invoice, reason, correctionId, cancellationToken);
        return summary + await IssuePendingAsync(db, tenant, cancellationToken);
    }

    // One period: stores the credit note of its shortfall, if any. A concurrent settlement that stored the same number first
    // wins; this one recomputes (and normally finds the shortfall credited).
    private async Task<CreditNoteSummary> SettlePeriodAsync(PortalDbContext db, Tenant tenant, Invoice invoice, string reason, string? correctionId,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var net = await PeriodBilling.NetBilledAsync(db, tenant.Id, invoice.PeriodStart, cancellationToken);
            var now = await PeriodBilling.OverageNowAsync(db, tenant, invoice.PeriodStart, cancellationToken);
            var lines = PeriodSettlement.CreditLines(invoice.PeriodStart, now, net);
            if (lines.Count == 0)
                return CreditNoteSummary.None;
            var sequence = 1 + (await db.CreditNotes.Where(n => n.InvoiceId == invoice.Id).MaxAsync(n => (int?)n.Sequence, cancellationToken) ?? 0);
            var note = CreditNote.Create(invoice, sequence, lines, reason, correctionId, time.GetUtcNow());
            db.CreditNotes.Add(note);
            audit.RecordSystem(db, tenant.Id, AuditActions.CreditNoteIssued, $"credit_note:{note.Number}", string.Create(CultureInfo.InvariantCulture,
                $"{Money.Format(note.TotalCents)} against invoice {invoice.Number} ({invoice.PeriodStart.UtcDateTime:MMMM yyyy})")
                + (correctionId is null ? "" : $", correction {correctionId}") + $": {note.Reason}");
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new CreditNoteSummary(1, 0, 0, note.TotalCents);
            }
            catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
            {
                logger.LogInformation("Credit note {Number} was stored by a concurrent settlement; recomputing", note.Number);
                db.ChangeTracker.Clear();
            }
        }
        throw new InvalidOperationException($"The credit note of invoice {invoice.Number} lost {Attempts} concurrent settlements in a row.");
    }

    // Carries out every pending credit note through the gateway that holds its invoice.
    private async Task<CreditNoteSummary> IssuePendingAsync(PortalDbContext db, Tenant tenant, CancellationToken cancellationToken)
    {
        var pending = await db.CreditNotes.Include(n => n.Lines).Where(n => n.Status == CreditNoteStatus.Pending)
            .OrderBy(n => n.CreatedAt).ThenBy(n => n.Number).ToListAsync(cancellationToken);
        var summary = CreditNoteSummary.None;
        foreach (var note in pending)
        {
            var invoice = await db.Invoices.SingleAsync(i => i.Id == note.InvoiceId, cancellationToken);
            var via = gateway.IsExternal && invoice.StripeInvoiceId is not null ? gateway : Ledger;
            var issued = await via.IssueCreditNoteAsync(tenant, invoice, note, cancellationToken);
            if (!issued.IsSuccess)
            {
                logger.LogWarning("Credit note {Number} could not be issued: {Code} {Message}; it stays pending and is retried by the next settlement",
                    note.Number, issued.Error.Code, issued.Error.Message);
                summary += new CreditNoteSummary(0, 0, 1, 0);
                continue;
            }
            var now = time.GetUtcNow();
            note.MarkIssued(issued.Value.Settlement, issued.Value.ProviderCreditNoteId, now);
            // On the ledger an open invoice credited in full owes nothing more: it is settled, so dunning never chases it.
            if (!via.IsExternal && invoice.Status == InvoiceStatus.Open)
            {
                var credited = await db.CreditNotes.Where(n => n.InvoiceId == invoice.Id && n.Id != note.Id).SumAsync(n => n.TotalCents, cancellationToken)
                    + note.TotalCents;
                if (credited >= invoice.TotalCents)
                {
                    invoice.Status = InvoiceStatus.Paid;
                    invoice.PaidAt ??= now;
                }
            }
            await db.SaveChangesAsync(cancellationToken);
            summary += new CreditNoteSummary(0, 1, 0, 0);
        }
        return summary;
    }
}
