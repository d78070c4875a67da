using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Data.Services.Billing;

/// <summary>
/// The monthly-invoicing job's reads for a batch of tenants, set-based: a handful of statements for the whole batch
/// (tenants with overrides, plan history, invoices, open credit grants, pending credit notes, billed and credited amounts
/// of the recent periods) and three for each closed period some tenant's invoicing or settlement looks at (counters from
/// the month rollups plus the events past the watermark; storage's last reading before the period and its readings in
/// it), all usage reads in one snapshot (<see cref="MeteringReads.OneSnapshotAsync"/>). The usage is computed exactly as
/// <see cref="UsageMeter.PeriodUsageAsync"/> computes it for one tenant. The context must be allowed to read every tenant
/// of the batch (the job's cross-tenant scope; a tenant's own scope for a batch of one).
/// </summary>
internal static class InvoicingReads
{
    /// <summary>Reads <paramref name="tenantIds"/>' invoicing data for the periods up to <paramref name="lastClosable"/>, settled at <paramref name="now"/>.</summary>
    public static async Task<List<TenantInvoicingData>> LoadAsync(PortalDbContext db, IReadOnlyCollection<Guid> tenantIds, DateTimeOffset lastClosable,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = tenantIds.ToList();
        var tenants = await db.Tenants.AsNoTracking().Include(t => t.QuotaOverrides).Where(t => ids.Contains(t.Id)).ToListAsync(cancellationToken);
        var segments = (await db.PlanSegments.AsNoTracking().Where(s => ids.Contains(s.TenantId)).ToListAsync(cancellationToken))
            .ToLookup(s => s.TenantId);
        var data = tenants.ToDictionary(t => t.Id, t => new TenantInvoicingData(t, segments[t.Id].ToList()));

        var invoices = await db.Invoices.AsNoTracking().Where(i => ids.Contains(i.TenantId))
            .Select(i => new { i.TenantId, i.Id, i.PeriodStart, i.PeriodEnd, i.Status }).ToListAsync(cancellationToken);
        foreach (var i in invoices.OrderBy(i => i.PeriodStart))
            data[i.TenantId].AddInvoice(new InvoicedPeriod(i.Id, i.PeriodStart, i.PeriodEnd, i.Status));
        foreach (var id in await db.CreditGrants.Where(g => ids.Contains(g.TenantId) && g.RevokedAt == null && g.RemainingCents > 0)
                     .Select(g => g.TenantId).Distinct().ToListAsync(cancellationToken))
            data[id].HasOpenGrants = true;
        foreach (var id in await db.CreditNotes.Where(n => ids.Contains(n.TenantId) && n.Status == CreditNoteStatus.Pending)
                     .Select(n => n.TenantId).Distinct().ToListAsync(cancellationToken))
            data[id].HasPendingCreditNotes = true;

        // The periods each tenant's run looks at, grouped: each period's usage is read for its tenants at once.
        var byPeriod = new SortedDictionary<DateTimeOffset, List<Guid>>();
        foreach (var tenant in data.Values)
        {
            foreach (var period in tenant.PeriodsToRead(tenant.CandidatePeriods(lastClosable), now))
            {
                if (!byPeriod.TryGetValue(period, out var list))
                    byPeriod[period] = list = [];
                list.Add(tenant.Tenant.Id);
            }
        }
        if (byPeriod.Count == 0)
            return [.. data.Values];

        var linesFrom = byPeriod.Keys.First();
        await ReadBilledAsync(db, ids, linesFrom, data, cancellationToken);
        foreach (var tenant in data.Values)
            tenant.LinesFrom = linesFrom;
        await MeteringReads.OneSnapshotAsync(db, async ct =>
        {
            foreach (var (period, periodTenants) in byPeriod)
            {
                foreach (var (tenantId, usage) in await PeriodUsageAsync(db, periodTenants, period, ct))
                    data[tenantId].SetUsage(period, usage);
            }
            return true;
        }, cancellationToken);
        return [.. data.Values];
    }

    // What was billed (overage and adjustment lines, of any invoice) and credited (credit note lines) for the periods from
    // linesFrom on: the two sides of PeriodBilling.NetBilledAsync.
    private static async Task ReadBilledAsync(PortalDbContext db, List<Guid> ids, DateTimeOffset linesFrom, Dictionary<Guid, TenantInvoicingData> data,
        CancellationToken cancellationToken)
    {
        var billed = await db.InvoiceLines.AsNoTracking()
            .Where(l => ids.Contains(l.TenantId) && l.UsagePeriodStart >= linesFrom && l.Metric != null
                && (l.Kind == InvoiceLineKind.Overage || l.Kind == InvoiceLineKind.Adjustment))
            .Select(l => new { l.TenantId, Period = l.UsagePeriodStart!.Value, Metric = l.Metric!.Value, l.Quantity, l.AmountCents })
            .ToListAsync(cancellationToken);
        foreach (var b in billed)
            data[b.TenantId].AddBilled(b.Period, b.Metric, b.Quantity, b.AmountCents);
        var credited = await db.CreditNoteLines.AsNoTracking()
            .Where(l => ids.Contains(l.TenantId) && l.UsagePeriodStart >= linesFrom)
            .Select(l => new { l.TenantId, Period = l.UsagePeriodStart, l.Metric, l.Quantity, l.AmountCents })
            .ToListAsync(cancellationToken);
        foreach (var c in credited)
            data[c.TenantId].AddCredited(c.Period, c.Metric, c.Quantity, c.AmountCents);
    }

    // A closed period's usage of several tenants, as UsageMeter.PeriodUsageAsync computes it for one (until its end).
    private static async Task<Dictionary<Guid, PeriodUsage>> PeriodUsageAsync(PortalDbContext db, List<Guid> ids, DateTimeOffset periodStart,
        CancellationToken cancellationToken)
    {
        var periodEnd = periodStart.AddMonths(1);
        var counters = (await UsageMeter.CounterRows(db, periodStart, ids)
                .GroupBy(x => new { x.TenantId, x.Metric })
                .Select(g => new { g.Key.TenantId, g.Key.Metric, Sum = g.Sum(x => x.Quantity) })
                .ToListAsync(cancellationToken))
            .ToDictionary(x => (x.TenantId, x.Metric), x => x.Sum);

        // Storage: the last reading before the period (by tenant, through the (tenant, metric, timestamp) index), then the readings in it.
        var before = await db.Tenants.AsNoTracking().Where(t => ids.Contains(t.Id))
            .Select(t => new
            {
                t.Id,
                At = db.UsageEvents.Where(e => e.TenantId == t.Id && e.Metric == UsageMetric.StorageGb && e.Timestamp < periodStart)
                    .OrderByDescending(e => e.Timestamp).ThenByDescending(e => e.Id).Select(e => (DateTimeOffset?)e.Timestamp).FirstOrDefault(),
                Level = db.UsageEvents.Where(e => e.TenantId == t.Id && e.Metric == UsageMetric.StorageGb && e.Timestamp < periodStart)
                    .OrderByDescending(e => e.Timestamp).ThenByDescending(e => e.Id).Select(e => (decimal?)e.Quantity).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var readings = (await db.UsageEvents.AsNoTracking()
                .Where(e => ids.Contains(e.TenantId) && e.Metric == UsageMetric.StorageGb && e.Timestamp >= periodStart && e.Timestamp <= periodEnd)
                .Select(e => new { e.TenantId, e.Timestamp, e.Id, e.Quantity })
                .ToListAsync(cancellationToken))
            .OrderBy(e => e.Timestamp).ThenBy(e => e.Id)
            .ToLookup(e => e.TenantId, e => (e.Timestamp, e.Quantity));

        var usage = new Dictionary<Guid, PeriodUsage>();
        foreach (var b in before)
        {
            var all = readings[b.Id].ToList();
            if (b.At is { } at)
                all.Insert(0, (at, b.Level ?? 0));
            var gbMonths = PeriodMath.TimeWeightedAverage(all, periodStart, periodEnd);
            usage[b.Id] = new PeriodUsage(counters.GetValueOrDefault((b.Id, UsageMetric.ApiCalls)), gbMonths, counters.GetValueOrDefault((b.Id, UsageMetric.GpuHours)));
        }
        return usage;
    }
}
