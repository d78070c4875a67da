using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Data.Services.Operations;

namespace TenantPortal.Data.Services.Metering.Corrections;

/// <summary>
/// The operators' backfill before it is applied (Operator only): the CSV parsed (<see cref="BackfillCsv"/>, every problem with
/// its line and column), and its preview from the database as it is now: the events' totals per period and metric, and
/// per period the effect on the bill: the change to the running estimate, to a closed period's coming invoice, or for an
/// invoiced period the credit note or the next invoice's adjustment line it leads to (the same figures as
/// <see cref="CreditNoteIssuer"/> and the late-usage adjustment compute: cents after minus cents billed net of credit notes).
/// Applying it is one correction of action backfill through <see cref="UsageCorrectionService.CreateForTenantAsync"/>.
/// </summary>
public sealed class BackfillPreviewService(IDbContextFactory<PortalDbContext> contexts, ITenantContext tenantContext, IServiceScopeFactory scopes,
    TimeProvider time)
{
    /// <summary>Parses a backfill CSV for a tenant and previews it; problems of the file come back as <see cref="BackfillCsvError"/>s.</summary>
    public async Task<Result<(BackfillPreview? Preview, IReadOnlyList<BackfillCsvError> Errors)>> PreviewCsvAsync(Actor actor, Guid tenantId, string csv,
        CancellationToken cancellationToken)
    {
        var allowed = await CheckOperatorAsync(actor, tenantId, cancellationToken);
        if (!allowed.IsSuccess)
            return allowed.Error!;
        var (items, errors) = BackfillCsv.Parse(csv, time.GetUtcNow());
        if (errors.Count > 0)
            return (null, errors);
        return (await ComputeAsync(tenantId, items, cancellationToken), []);
    }

    private async Task<Result> CheckOperatorAsync(Actor actor, Guid tenantId, CancellationToken cancellationToken)
    {
        using var cross = tenantContext.BeginCrossTenantScope("operator previewing a tenant's usage backfill");
        await using var db = contexts.CreateDbContext();
        if (!await OperatorRole.IsOperatorAsync(db, actor, cancellationToken))
            return Error.Forbidden("Only operators can backfill a tenant's usage.");
        if (!await db.Tenants.AnyAsync(t => t.Id == tenantId, cancellationToken))
            return Error.NotFound("That tenant was not found.");
        return Result.Success();
    }

    // Read through the tenant filter, in a scope working for the tenant, exactly as its invoices are built.
    private async Task<BackfillPreview> ComputeAsync(Guid tenantId, IReadOnlyList<UsageCorrectionItem> items, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(tenantId);
        await using var db = scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        var tenant = await db.Tenants.AsNoTracking().Include(t => t.QuotaOverrides).SingleAsync(t => t.Id == tenantId, cancellationToken);
        var now = time.GetUtcNow();
        var running = PeriodMath.MonthStart(now);

        var totals = items
            .GroupBy(i => (Period: PeriodMath.MonthStart(i.Timestamp!.Value), Metric: i.Metric!.Value))
            .OrderBy(g => g.Key.Period).ThenBy(g => g.Key.Metric)
            .Select(g => new BackfillTotal(g.Key.Period, g.Key.Metric, g.Count(), g.Sum(i => i.Quantity!.Value)))
            .ToList();
        var effects = new List<BackfillEffect>();
        foreach (var period in totals.Select(t => t.Period).Distinct())
        {
            var added = totals.Where(t => t.Period == period).ToDictionary(t => t.Metric, t => t.Quantity);
            var plan = InvoiceBuilder.OveragePlan(await InvoiceBuilder.SegmentsAsync(db, tenant, period, cancellationToken), period);
            var usage = await UsageMeter.PeriodUsageAsync(db, period, period == running ? now : period.AddMonths(1), cancellationToken);
            var after = usage with
            {
                ApiCalls = usage.ApiCalls + added.GetValueOrDefault(UsageMetric.ApiCalls),
                GpuHours = usage.GpuHours + added.GetValueOrDefault(UsageMetric.GpuHours),
            };
            var before = plan is null ? [] : OverageCalculator.Lines(plan, usage, tenant.QuotaOverrides);
            var later = plan is null ? [] : OverageCalculator.Lines(plan, after, tenant.QuotaOverrides);
            var invoice = await db.Invoices.AsNoTracking()
                .Where(i => i.PeriodStart == period && i.Status != InvoiceStatus.Draft && i.Status != InvoiceStatus.Void)
                .Select(i => new { i.Number }).SingleOrDefaultAsync(cancellationToken);
            var net = invoice is null ? null : await PeriodBilling.NetBilledAsync(db, tenant.Id, period, cancellationToken);
            foreach (var metric in added.Keys.Order())
            {
                var afterCents = later.FirstOrDefault(l => l.Metric == metric)?.AmountCents ?? 0;
                var beforeCents = before.FirstOrDefault(l => l.Metric == metric)?.AmountCents ?? 0;
                effects.Add(net is null
                    ? Unbilled(period, metric, running, afterCents - beforeCents)
                    : Invoiced(period, metric, invoice!.Number, running, afterCents - net.GetValueOrDefault(metric).Cents));
            }
        }
        return new BackfillPreview(items, totals, effects);
    }

    private static BackfillEffect Unbilled(DateTimeOffset period, UsageMetric metric, DateTimeOffset running, long change) =>
        new(period, metric, change == 0 ? BackfillEffectKind.NoChange : period >= running ? BackfillEffectKind.RunningEstimate : BackfillEffectKind.NotYetInvoiced,
            null, change);

    // An invoiced period: a shortfall is credited now; an excess is billed on the next invoice (the running period's) when
    // the period ended within the late-usage window before it, and not at all when older.
    private static BackfillEffect Invoiced(DateTimeOffset period, UsageMetric metric, string invoice, DateTimeOffset running, long difference)
    {
        var kind = difference switch
        {
            0 => BackfillEffectKind.NoChange,
            < 0 => BackfillEffectKind.CreditNote,
            _ when period.AddMonths(1) > running - InvoiceIssuance.LateUsageWindow => BackfillEffectKind.Adjustment,
            _ => BackfillEffectKind.OutsideLateUsageWindow,
        };
        return new BackfillEffect(period, metric, kind, invoice, difference);
    }
}
