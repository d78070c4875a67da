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

    /// <summary>
    /// Invoices every tenant's closable periods. Tenants are read in batches (<c>Billing:InvoicingBatchSize</c>), each batch
    /// in a few set-based statements (<see cref="InvoicingReads"/>); each tenant with something to do is then invoiced in a
    /// scope of its own, in its own transaction, from what was read. A tenant with nothing to invoice, issue or settle costs
    /// no statement of its own. On a server database several tenants are invoiced at once (<see cref="ParallelTenants"/>).
    /// </summary>
    public async Task<InvoicingSummary> RunAsync(CancellationToken cancellationToken)
    {
        List<Guid> tenantIds;
        int parallel;
        using (tenantContext.BeginCrossTenantScope("monthly invoicing: list every tenant"))
        {
            await using var db = contexts.CreateDbContext();
            tenantIds = await db.Tenants.AsNoTracking().OrderBy(t => t.Slug).Select(t => t.Id).ToListAsync(cancellationToken);
            parallel = ParallelTenants(db.Database.IsSqlite(), Environment.ProcessorCount);
        }
        var lastClosable = LastClosablePeriod(time.GetUtcNow(), billing.Value.GraceHours);
        var summary = InvoicingSummary.None;
        var failures = new List<Exception>();
        foreach (var batch in tenantIds.Chunk(billing.Value.InvoicingBatchSize))
        {
            var now = time.GetUtcNow();
            List<TenantInvoicingData> read;
            using (tenantContext.BeginCrossTenantScope("monthly invoicing: a batch of tenants' invoices, plan history and usage, keyed by tenant"))
            {
                await using var db = contexts.CreateDbContext();
                read = await InvoicingReads.LoadAsync(db, batch, lastClosable, now, cancellationToken);
            }
            var byId = read.ToDictionary(d => d.Tenant.Id);
            var busy = new List<Guid>();
            foreach (var tenantId in batch)
            {
                if (byId.TryGetValue(tenantId, out var data) && await data.HasWorkAsync(lastClosable, now, cancellationToken))
                    busy.Add(tenantId);
                else if (data is not null)
                    summary += InvoicingSummary.None with { Tenants = 1 };
            }
            try
            {
                var results = await runner.ForEachAsync("Monthly invoicing", busy, (services, ct) =>
                {
                    var tenantId = services.GetRequiredService<ITenantContext>().TenantId!.Value;
                    return services.GetRequiredService<InvoicingService>().InvoiceTenantAsync(lastClosable, byId[tenantId], ct);
                }, cancellationToken, parallel);
                summary = results.Aggregate(summary, (sum, r) => sum + r);
            }
            catch (AggregateException ex)
            {
                // The runner logged each failing tenant; the others of the batch are invoiced. The run throws at its end.
                failures.AddRange(ex.InnerExceptions);
            }
        }
        if (failures.Count > 0)
            throw new AggregateException($"Monthly invoicing failed for {failures.Count} of {tenantIds.Count} tenants.", failures);
        return summary;
    }

    /// <summary>
    /// How many tenants a run invoices at once. SQLite takes one writer at a time (a second one would wait in
    /// Microsoft.Data.Sqlite's busy retry, 150 ms a try): one. A server database takes concurrent transactions, so one per
    /// core, 2 to 8: the tenants' work (its CPU, and each commit's wait for the log flush) overlaps. Each tenant has its own
    /// scope and transaction, and the unique (tenant, period) key keeps one invoice a period whatever runs at once.
    /// </summary>
    public static int ParallelTenants(bool sqlite, int processors) => sqlite ? 1 : Math.Clamp(processors, 2, 8);

    /// <summary>Invoices the current tenant's periods up to <paramref name="lastClosable"/> that have no invoice yet, oldest first.</summary>
    public async Task<InvoicingSummary> InvoiceCurrentTenantAsync(DateTimeOffset lastClosable, CancellationToken cancellationToken) =>
        await InvoiceTenantAsync(lastClosable, null, cancellationToken);

    // One tenant's invoicing, from what the batch read (null: read here, for this tenant alone).
    private async Task<InvoicingSummary> InvoiceTenantAsync(DateTimeOffset lastClosable, TenantInvoicingData? read, CancellationToken cancellationToken)
    {
        var tenantId = tenantContext.TenantId ?? throw new InvalidOperationException("Invoicing needs a current tenant.");
        await using var db = contexts.CreateDbContext();
        var data = read ?? await ReadAloneAsync(db, tenantId, lastClosable, cancellationToken);
        data.Fallback = new DatabasePeriodBillingReads(db, data.Tenant);
        var tenant = data.Tenant;
        var invoiced = data.Invoices.Select(i => i.PeriodStart).ToHashSet();
        var history = data.History;
        var summary = InvoicingSummary.None with { Tenants = 1 };
        var creditsUsed = false;
        var conflicted = false;

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
            var invoice = await InvoiceBuilder.BuildAsync(data, tenant, period, period.AddMonths(1), now,
                gateway.IsExternal ? tenant.BaseBilledInStripeFrom : null, cancellationToken);
            if (!InvoiceIssuance.ShouldIssue(paidPlan, invoice))
                continue;
            invoice.Status = InvoiceStatus.Draft;
            // Prepaid credits usable at the issue time pay it (overage first, then base), saved in the same transaction.
            var credits = data.HasOpenGrants ? await CreditLedger.ApplyAsync(db, invoice, now, cancellationToken) : CreditAllocation.None;
            if (credits.TotalCents > 0)
                audit.RecordSystem(db, tenant.Id, AuditActions.CreditsApplied, $"invoice:{invoice.Number}", CreditAllocator.Describe(invoice, credits));
            db.Invoices.Add(invoice);
            audit.RecordSystem(db, tenant.Id, AuditActions.InvoiceIssued, $"invoice:{invoice.Number}", string.Create(CultureInfo.InvariantCulture,
                $"{period.UtcDateTime:MMMM yyyy}: {Money.Format(invoice.TotalCents)} in {invoice.Lines.Count} lines"));
            // The ledger issues in process and can't fail: issued in the same transaction. An external provider's invoice
            // is stored as a Draft first and issued below, so one the provider could not take is issued by the next run.
            if (!gateway.ForInvoice(tenant, invoice).IsExternal)
                await IssueAsync(tenant, invoice, cancellationToken);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
            {
                // A concurrent run stored this period's invoice first: it is billed, once. What it stored is read again.
                logger.LogInformation("Invoice {Number} was created by a concurrent run", invoice.Number);
                db.ChangeTracker.Clear();
                invoiced.Add(period);
                conflicted = true;
                data = await ReadAloneAsync(db, tenantId, lastClosable, cancellationToken);
                continue;
            }
            catch (DbUpdateConcurrencyException)
            {
                // A credit grant changed since it was read (a concurrent run consumed it, an operator revoked it): nothing
                // was stored; this period and the later ones are invoiced by the next run, from fresh reads.
                logger.LogInformation("Invoice {Number} not stored: a credit grant changed meanwhile; the next run invoices it", invoice.Number);
                db.ChangeTracker.Clear();
                conflicted = true;
                break;
            }
            data.Stored(invoice);
            invoiced.Add(period);
            creditsUsed |= credits.TotalCents > 0;
            summary += new InvoicingSummary(0, 1, invoice.Lines.Count(l => l.Kind == InvoiceLineKind.Adjustment && l.Metric is not null), invoice.TotalCents, 0);
        }

        // Issue every Draft: the ones just created for an external provider, and those a provider failure left behind in an earlier run.
        if (conflicted || data.Invoices.Any(i => i.Status == InvoiceStatus.Draft))
            summary += await IssueDraftsAsync(db, data, cancellationToken);

        // Credit notes of recently invoiced periods whose usage came down, and those a provider failure left pending.
        if (conflicted || data.HasPendingCreditNotes || await data.SettlementDueAsync(time.GetUtcNow(), cancellationToken))
        {
            var credited = await creditNotes.SettleCurrentTenantAsync(null, CreditNoteIssuer.DailyReason, null, cancellationToken);
            if (credited.Pending > 0)
                logger.LogWarning("{Pending} credit notes of tenant {TenantId} stay pending; the next run retries them", credited.Pending, tenantId);
        }
        if (creditsUsed)
            await creditAlerts.EvaluateAsync(tenant.Id, cancellationToken);
        return summary;
    }

    // The current tenant's invoicing data, read in its own scope.
    private async Task<TenantInvoicingData> ReadAloneAsync(PortalDbContext db, Guid tenantId, DateTimeOffset lastClosable, CancellationToken cancellationToken)
    {
        var read = await InvoicingReads.LoadAsync(db, [tenantId], lastClosable, time.GetUtcNow(), cancellationToken);
        var data = read.SingleOrDefault() ?? throw new InvalidOperationException($"Tenant {tenantId} was not found.");
        data.Fallback = new DatabasePeriodBillingReads(db, data.Tenant);
        return data;
    }

    // Issues the tenant's drafts through their gateway, oldest first; one the provider could not take stays a draft.
    private async Task<InvoicingSummary> IssueDraftsAsync(PortalDbContext db, TenantInvoicingData data, CancellationToken cancellationToken)
    {
        var summary = InvoicingSummary.None;
        var drafts = await db.Invoices.Include(i => i.Lines).Where(i => i.Status == InvoiceStatus.Draft).OrderBy(i => i.PeriodStart).ToListAsync(cancellationToken);
        foreach (var draft in drafts)
        {
            if (!await IssueAsync(data.Tenant, draft, cancellationToken))
            {
                summary += InvoicingSummary.None with { NotIssued = 1 };
                continue;
            }
            await db.SaveChangesAsync(cancellationToken);
            data.StatusChanged(draft.Id, draft.Status);
        }
        return summary;
    }

    // Issues an invoice through the gateway that holds it (Stripe only for invoices of time its subscription billed; the
    // ledger keeps the rest: PaymentGatewayRouting) and takes its status; false (the invoice unchanged) when it could not.
    private async Task<bool> IssueAsync(Tenant tenant, Invoice invoice, CancellationToken cancellationToken)
    {
        var issued = await gateway.ForInvoice(tenant, invoice).IssueInvoiceAsync(tenant, invoice, cancellationToken);
        if (!issued.IsSuccess)
        {
            logger.LogWarning("Invoice {Number} could not be issued: {Code} {Message}; it stays a draft and is retried on the next run",
                invoice.Number, issued.Error.Code, issued.Error.Message);
            return false;
        }
        invoice.Status = issued.Value.Status;
        invoice.StripeInvoiceId = issued.Value.ProviderInvoiceId ?? invoice.StripeInvoiceId;
        invoice.HostedUrl = issued.Value.HostedUrl ?? invoice.HostedUrl;
        if (invoice.Status == InvoiceStatus.Paid)
            invoice.PaidAt ??= time.GetUtcNow();
        return true;
    }
}
