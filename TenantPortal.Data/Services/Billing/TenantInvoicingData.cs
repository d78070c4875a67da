using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Billing;

/// <summary>
/// One tenant's part of what the monthly-invoicing job read for many tenants at once (<see cref="InvoicingReads"/>): the
/// tenant with its quota overrides, its plan history, every invoice it has, the usage of the closed periods its invoicing
/// and settlement look at, and what was billed and credited for recent periods. The job keeps it current as it stores
/// invoices, so that a later period of the same run sees the earlier one (as a read from the database would). A period
/// it did not read is read through <see cref="Fallback"/>, so a question it cannot answer is never answered wrongly.
/// </summary>
internal sealed class TenantInvoicingData(Tenant tenant, List<PlanSegment> segments) : IPeriodBillingReads
{
    private readonly List<InvoicedPeriod> _invoices = [];
    private readonly Dictionary<DateTimeOffset, PeriodUsage> _usage = [];
    private readonly List<(DateTimeOffset Period, UsageMetric Metric, PeriodSettlement.Amount Amount)> _billed = [];
    private readonly List<(DateTimeOffset Period, UsageMetric Metric, PeriodSettlement.Amount Amount)> _credited = [];

    /// <summary>The tenant, with its quota overrides.</summary>
    public Tenant Tenant { get; } = tenant;

    /// <summary>Its plan history, or the assumed segment of a tenant without one (<see cref="InvoiceBuilder.HistoryAsync"/>).</summary>
    public List<PlanSegment> History { get; } = segments.Count > 0 ? segments : [InvoiceBuilder.Assumed(tenant)];

    /// <summary>Billed and credited amounts were read for the periods from here on (null: none).</summary>
    public DateTimeOffset? LinesFrom { get; set; }

    /// <summary>It has a credit grant that may pay something (else applying credits reads nothing).</summary>
    public bool HasOpenGrants { get; set; }

    /// <summary>It has a credit note a provider has not taken yet.</summary>
    public bool HasPendingCreditNotes { get; set; }

    /// <summary>Where a question about a period not read here is answered (the per-tenant context); null: such a question is a bug.</summary>
    public IPeriodBillingReads? Fallback { get; set; }

    /// <summary>Every invoice of the tenant, as read and as stored since.</summary>
    public IReadOnlyList<InvoicedPeriod> Invoices => _invoices;

    private bool HasHistory { get; } = segments.Count > 0;

    /// <summary>Adds an invoice that was read.</summary>
    public void AddInvoice(InvoicedPeriod invoice) => _invoices.Add(invoice);

    /// <summary>Sets a closed period's usage (up to its end).</summary>
    public void SetUsage(DateTimeOffset period, PeriodUsage usage) => _usage[period] = usage;

    /// <summary>Adds an overage or adjustment line billed for <paramref name="period"/>.</summary>
    public void AddBilled(DateTimeOffset period, UsageMetric metric, decimal quantity, long cents) =>
        _billed.Add((period, metric, new PeriodSettlement.Amount(quantity, cents)));

    /// <summary>Adds a credit note line crediting <paramref name="period"/>.</summary>
    public void AddCredited(DateTimeOffset period, UsageMetric metric, decimal quantity, long cents) =>
        _credited.Add((period, metric, new PeriodSettlement.Amount(quantity, cents)));

    /// <summary>Records an invoice just stored, with its lines, as a read after its commit would see it.</summary>
    public void Stored(Invoice invoice)
    {
        _invoices.Add(new InvoicedPeriod(invoice.Id, invoice.PeriodStart, invoice.PeriodEnd, invoice.Status));
        foreach (var line in invoice.Lines)
        {
            if (line is { Metric: { } metric, UsagePeriodStart: { } period, Kind: InvoiceLineKind.Overage or InvoiceLineKind.Adjustment })
                AddBilled(period, metric, line.Quantity, line.AmountCents);
        }
    }

    /// <summary>Records the status an invoice was given since it was read or stored (issued, or left a draft).</summary>
    public void StatusChanged(Guid invoiceId, InvoiceStatus status)
    {
        var index = _invoices.FindIndex(i => i.Id == invoiceId);
        if (index >= 0)
            _invoices[index] = _invoices[index] with { Status = status };
    }

    /// <summary>
    /// The periods up to <paramref name="lastClosable"/> that may get an invoice in this run, as
    /// <see cref="InvoicingService"/> decides it, taking every one of them to be invoiced (so a superset of what it issues).
    /// </summary>
    public List<DateTimeOffset> CandidatePeriods(DateTimeOffset lastClosable)
    {
        var invoiced = _invoices.Select(i => i.PeriodStart).ToHashSet();
        var candidates = new List<DateTimeOffset>();
        for (var period = PeriodMath.MonthStart(Tenant.CreatedAt); period <= lastClosable; period = period.AddMonths(1))
        {
            if (invoiced.Contains(period))
                continue;
            if (InvoiceIssuance.HasPaidPlan(History, period) || InvoiceIssuance.MayOweLateUsage(invoiced.Concat(candidates), period))
                candidates.Add(period);
        }
        return candidates;
    }

    /// <summary>
    /// The closed periods whose usage and billed amounts invoicing the <paramref name="candidates"/> and settling the
    /// recent invoices at <paramref name="now"/> look at: the candidates, and the invoiced periods (or candidates) that end
    /// within the late-usage window before the earliest of them or before now.
    /// </summary>
    public SortedSet<DateTimeOffset> PeriodsToRead(IReadOnlyCollection<DateTimeOffset> candidates, DateTimeOffset now)
    {
        var earliest = (candidates.Count > 0 && candidates.Min() < now ? candidates.Min() : now) - InvoiceIssuance.LateUsageWindow;
        var periods = new SortedSet<DateTimeOffset>(candidates);
        foreach (var period in _invoices.Select(i => i.PeriodStart))
        {
            if (period.AddMonths(1) > earliest)
                periods.Add(period);
        }
        return periods;
    }

    /// <summary>True when the tenant has something to issue, settle or invoice; false when a run would change nothing.</summary>
    public async Task<bool> HasWorkAsync(DateTimeOffset lastClosable, DateTimeOffset now, CancellationToken cancellationToken) =>
        CandidatePeriods(lastClosable).Count > 0 || _invoices.Any(i => i.Status == InvoiceStatus.Draft) || HasPendingCreditNotes
        || await SettlementDueAsync(now, cancellationToken);

    /// <summary>
    /// True when an issued invoice of the late-usage window before <paramref name="now"/> is owed a credit note: what the
    /// credit-note settlement (<see cref="CreditNoteIssuer"/>) would find, decided from what was read.
    /// </summary>
    public async Task<bool> SettlementDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var earliest = now - InvoiceIssuance.LateUsageWindow;
        foreach (var invoice in _invoices.Where(i => i.Status is not (InvoiceStatus.Draft or InvoiceStatus.Void) && i.PeriodEnd > earliest))
        {
            var net = await NetBilledAsync(invoice.PeriodStart, cancellationToken);
            var overage = await PeriodBilling.OverageNowAsync(this, Tenant, invoice.PeriodStart, cancellationToken);
            if (PeriodSettlement.CreditLines(invoice.PeriodStart, overage, net).Count > 0)
                return true;
        }
        return false;
    }

    /// <inheritdoc />
    public Task<List<PlanSegment>> SegmentsAsync(DateTimeOffset periodStart, CancellationToken cancellationToken)
    {
        if (!HasHistory)
            return Task.FromResult(History.ToList());
        var periodEnd = periodStart.AddMonths(1);
        return Task.FromResult(History.Where(s => s.StartsAt < periodEnd && (s.EndsAt == null || s.EndsAt > periodStart)).OrderBy(s => s.StartsAt).ToList());
    }

    /// <inheritdoc />
    public Task<PeriodUsage> PeriodUsageAsync(DateTimeOffset periodStart, DateTimeOffset until, CancellationToken cancellationToken) =>
        until >= periodStart.AddMonths(1) && _usage.TryGetValue(periodStart, out var usage)
            ? Task.FromResult(usage)
            : FallbackFor(periodStart).PeriodUsageAsync(periodStart, until, cancellationToken);

    /// <inheritdoc />
    public Task<List<DateTimeOffset>> InvoicedPeriodsAsync(DateTimeOffset before, DateTimeOffset endsAfter, CancellationToken cancellationToken) =>
        Task.FromResult(_invoices.Where(i => i.PeriodStart < before && i.PeriodEnd > endsAfter && i.Status != InvoiceStatus.Void)
            .OrderBy(i => i.PeriodStart).Select(i => i.PeriodStart).ToList());

    /// <inheritdoc />
    public Task<Dictionary<UsageMetric, PeriodSettlement.Amount>> NetBilledAsync(DateTimeOffset period, CancellationToken cancellationToken)
    {
        if (LinesFrom is not { } from || period < from)
            return FallbackFor(period).NetBilledAsync(period, cancellationToken);
        var net = new Dictionary<UsageMetric, PeriodSettlement.Amount>();
        foreach (var (_, metric, amount) in _billed.Where(b => b.Period == period))
            net[metric] = net.GetValueOrDefault(metric) + amount;
        foreach (var (_, metric, amount) in _credited.Where(c => c.Period == period))
            net[metric] = net.GetValueOrDefault(metric) - amount;
        return Task.FromResult(net);
    }

    private IPeriodBillingReads FallbackFor(DateTimeOffset period) =>
        Fallback ?? throw new InvalidOperationException($"The invoicing reads of tenant {Tenant.Id} hold nothing of the period {period:yyyy-MM}.");
}
