using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// The quota check's running totals (<c>Metering:QuotaCache=Local</c>): per tenant, the current month's counters and the
/// gauges' latest levels, loaded once from the database and then kept current by every ingestion's
/// <see cref="Stored"/>, which runs after the commit and before the caller gets its answer, so an ingested batch is
/// counted by the very next check. Exact only while this process is the database's one writer. The rollup job moves
/// events into rollups without changing totals, so it needs no notice. Memory: one month per tenant, idle tenants dropped.
/// </summary>
public sealed class QuotaUsageCache(TimeProvider time) : IUsageIngestObserver
{
    private readonly TenantSlotCache<UsageTotals> _totals = new(time);

    /// <summary>Tenants with totals cached or loading.</summary>
    public int TenantCount => _totals.Count;

    /// <inheritdoc />
    public void Stored(Guid tenantId, IReadOnlyList<StoredUsageEvent> events) =>
        _totals.Change(tenantId, events, static (totals, stored) => totals.Apply(stored));

    /// <summary>Forgets a tenant's totals (its events were deleted).</summary>
    public void Invalidate(Guid tenantId) => _totals.Invalidate(tenantId);

    /// <summary>The cached use of a counter or gauge in the month of <paramref name="now"/>; false when it must be loaded.</summary>
    internal bool TryGetUsed(Guid tenantId, UsageMetric metric, DateTimeOffset now, out decimal used) =>
        _totals.TryRead(tenantId, (metric, now), static (totals, q) =>
            totals.MonthStart == PeriodMath.MonthStart(q.now) ? (true, totals.Used(q.metric, q.now)) : (false, 0m), out used);

    /// <summary>Starts loading a tenant's totals; pass the ticket to <see cref="CompleteLoad"/>.</summary>
    internal long BeginLoad(Guid tenantId) => _totals.BeginLoad(tenantId);

    /// <summary>Caches loaded totals unless an ingestion for the tenant was stored since the ticket; true when cached.</summary>
    internal bool CompleteLoad(Guid tenantId, long ticket, UsageTotals totals) => _totals.Complete(tenantId, ticket, totals);
}
