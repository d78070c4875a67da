using System.Collections.Concurrent;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Data.Services;

/// <summary>
/// A per-tenant change counter for what the tenant's live panels show (usage, plan, status, overrides, members,
/// invoices, refusals), so that a panel's periodic refresh can skip reading when nothing changed since its last read.
/// Bumped by every ingestion (<see cref="Stored"/>), by every save touching the tenant or a row it owns
/// (<see cref="Interceptors.TenantDataVersionInterceptor"/>), and, for all tenants at once, by the work that bypasses saves
/// (a rollup run, a flush of refusal counts). Registered only with <c>Metering:QuotaCache=Local</c>, where this process is
/// the database's one writer; without it (several instances) panels read on every tick.
/// </summary>
public sealed class TenantDataVersions : IUsageIngestObserver
{
    private readonly ConcurrentDictionary<Guid, StrongBox> _tenants = new();
    private long _all;

    /// <summary>
    /// The tenant's current version: it changes whenever the tenant's data may have changed. Read it before reading the
    /// data, so that a change landing during the read shows as a new version on the next comparison.
    /// </summary>
    public long Current(Guid tenantId) =>
        Volatile.Read(ref _all) + (_tenants.TryGetValue(tenantId, out var box) ? Volatile.Read(ref box.Value) : 0);

    /// <summary>Marks the tenant's data as changed.</summary>
    public void Changed(Guid tenantId) => Interlocked.Increment(ref _tenants.GetOrAdd(tenantId, static _ => new StrongBox()).Value);

    /// <summary>Marks every tenant's data as changed (work that bypasses saves, e.g. a rollup run).</summary>
    public void ChangedAll() => Interlocked.Increment(ref _all);

    /// <inheritdoc />
    public void Stored(Guid tenantId, IReadOnlyList<StoredUsageEvent> events) => Changed(tenantId);

    // A counter shared by reference, so that increments need no dictionary update.
    private sealed class StrongBox
    {
        public long Value;
    }
}
