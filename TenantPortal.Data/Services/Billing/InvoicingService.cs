using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Billing.Credits;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Billing.Credits;

namespace TenantPortal.Data.Services.Billing;

/// <summary>
/// The monthly-invoicing job's work: for every tenant, one invoice per closed monthly period once its grace window
/// (<c>Billing:GraceHours</c>) has passed, from the tenant's first period on, so missed periods are caught up; a period
/// with nothing to bill (no paid plan and no amount, e.g. a Free tenant's) gets none (<see cref="InvoiceIssuance"/>). The
/// unique (tenant, period) index decides: a second, concurrent or retried run finds the invoice there (or loses the
/// insert) and bills nothing twice. An invoice is first stored as Draft, then issued through the gateway (Open on the
/// ledger, finalized in Stripe); a Draft the provider could not take is issued again on the next run.
/// </summary>
public sealed class InvoicingService(
    TenantJobRunner runner,
    IDbContextFactory<PortalDbContext> contexts,
    ITenantContext tenantContext,
    IPaymentGateway gateway,
    CreditNoteIssuer creditNotes,
    AuditWriter audit,
    CreditAlertService creditAlerts,
    IOptions<BillingOptions> billing,
    TimeProvider time,
    ILogger<InvoicingService> logger)
{
    /// <summary>The latest period whose grace window has passed at <paramref name="now"/>.</summary>
    public static DateTimeOffset LastClosablePeriod(DateTimeOffset now, int graceHours) =>
        PeriodMath.MonthStart(now.AddHours(-graceHours)).AddMonths(-1);

    /// <summary>Invoices every tenant's closable periods.</summary>
    public async Task<InvoicingSummary> RunAsync(CancellationToken cancellationToken)
    {
        List<Guid> tenantIds;
        using (tenantContext.BeginCrossTenantScope("monthly invoicing: list every tenant"))
        {
            await using var db = contexts.CreateDbContext();
            tenantIds = await db.Tenants.AsNoTracking().OrderBy(t => t.Slug).Select(t => t.Id).ToListAsync(cancellationToken);
        }
        var lastClosable = LastClosablePeriod(time.GetUtcNow(), billing.Value.GraceHours);
        var results = await runner.ForEachAsync("Monthly invoicing", tenantIds,
            (services, ct) => services.GetRequiredService<InvoicingService>().InvoiceCurrentTenantAsync(lastClosable, ct), cancellationToken);
        return results.Aggregate(InvoicingSummary.None, (sum, r) => sum + r);
    }

    /// <summary>Invoices the current tenant's periods up to <paramref name="lastClosable"/> that have no invoice yet, oldest first.</summary>
    public async Task<InvoicingSummary> InvoiceCurrentTenantAsync(DateTimeOffset lastClosable, CancellationToken cancellationToken)
    {
        var tenantId = tenantContext.TenantId ?? throw new InvalidOperationException("Invoicing needs a current tenant.");
        await using var db = contexts.CreateDbContext();
        var tenant = await db.Tenants.AsNoTracking().Include(t => t.QuotaOverrides).SingleAsync(t => t.Id == tenantId, cancellationToken);
        var invoiced = (await db.Invoices.Select(i => i.PeriodStart).ToListAsync(cancellationToken)).ToHashSet();
        var history = await InvoiceBuilder.HistoryAsync(db, tenant, cancellationToken);
        var summary = InvoicingSummary.None with { Tenants = 1 };
        var creditsUsed = false;

        for (var period = PeriodMath.MonthStart(tenant.CreatedAt); period <= lastClosable; period = period.AddMonths(1))
        {
            if (invoiced.Contains(period))
                continue;
            // Nothing to bill, nothing to list (InvoiceIssuance): a period without a paid plan is looked at only when late
            // usage of an invoiced period may be billed on it, so a Free tenant's every month costs no reads, run after run.
            var paidPlan = InvoiceIssuance.HasPaidPlan(history, period);
            if (!paidPlan && !InvoiceIssuance.MayOweLateUsage(invoiced, period))
                continue;
            var now = time.GetUtcNow();
            var invoice = await InvoiceBuilder.BuildAsync(db, tenant, period, period.AddMonths(1), now,
                gateway.IsExternal ? tenant.BaseBilledInStripeFrom : null, cancellationToken);
            if (!InvoiceIssuance.ShouldIssue(paidPlan, invoice))
                continue;
            invoice.Status = InvoiceStatus.Draft;
            // Prepaid credits usable at the issue time pay it (overage first, then base), saved in the same transaction.
            var credits = await CreditLedger.ApplyAsync(db, invoice, now, cancellationToken);
            if (credits.TotalCents > 0)
                audit.RecordSystem(db, tenant.Id, AuditActions.CreditsApplied, $"invoice:{invoice.Number}", CreditAllocator.Describe(invoice, credits));
            db.Invoices.Add(invoice);
            audit.RecordSystem(db, tenant.Id, AuditActions.InvoiceIssued, $"invoice:{invoice.Number}", string.Create(CultureInfo.InvariantCulture,
                $"{period.UtcDateTime:MMMM yyyy}: {Money.Format(invoice.TotalCents)} in {invoice.Lines.Count} lines"));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
            {
                // A concurrent run stored this period's invoice first: it is billed, once.
                logger.LogInformation("Invoice {Number} was created by a concurrent run", invoice.Number);
                db.ChangeTracker.Clear();
                invoiced.Add(period);
                continue;
            }
            catch (DbUpdateConcurrencyException)
            {
                // A credit grant changed since it was read (a concurrent run consumed it, an operator revoked it): nothing
                // was stored; this period and the later ones are invoiced by the next run, from fresh reads.
                logger.LogInformation("Invoice {Number} not stored: a credit grant changed meanwhile; the next run invoices it", invoice.Number);
                db.ChangeTracker.Clear();
                break;
            }
            invoiced.Add(period);
            creditsUsed |= credits.TotalCents > 0;
            summary += new InvoicingSummary(0, 1, invoice.Lines.Count(l => l.Kind == InvoiceLineKind.Adjustment && l.Metric is not null), invoice.TotalCents, 0);
        }

        // Issue every Draft: the ones just created, and those a provider failure left behind in an earlier run.
        var drafts = await db.Invoices.Include(i => i.Lines).Where(i => i.Status == InvoiceStatus.Draft).OrderBy(i => i.PeriodStart).ToListAsync(cancellationToken);
        foreach (var draft in drafts)
        {
            // Stripe issues only invoices of time its subscription billed; the ledger keeps the rest (PaymentGatewayRouting).
            var issued = await gateway.ForInvoice(tenant, draft).IssueInvoiceAsync(tenant, draft, cancellationToken);
            if (!issued.IsSuccess)
            {
                logger.LogWarning("Invoice {Number} could not be issued: {Code} {Message}; it stays a draft and is retried on the next run",
                    draft.Number, issued.Error.Code, issued.Error.Message);
                summary += InvoicingSummary.None with { NotIssued = 1 };
                continue;
            }
            draft.Status = issued.Value.Status;
            draft.StripeInvoiceId = issued.Value.ProviderInvoiceId ?? draft.StripeInvoiceId;
            draft.HostedUrl = issued.Value.HostedUrl ?? draft.HostedUrl;
            if (draft.Status == InvoiceStatus.Paid)
                draft.PaidAt ??= time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }

        // Credit notes of recently invoiced periods whose usage came down, and those a provider failure left pending.
        var credited = await creditNotes.SettleCurrentTenantAsync(null, CreditNoteIssuer.DailyReason, null, cancellationToken);
        if (credited.Pending > 0)
            logger.LogWarning("{Pending} credit notes of tenant {TenantId} stay pending; the next run retries them", credited.Pending, tenantId);
        if (creditsUsed)
            await creditAlerts.EvaluateAsync(tenant.Id, cancellationToken);
        return summary;
    }
}
