using System.Collections.Concurrent;

namespace TenantPortal.Data.Services;

/// <summary>
/// The tenants whose fleet figures a save in this process may have changed (plan, overrides, members: see
/// <see cref="Interceptors.FleetSnapshotInterceptor"/>), until <see cref="FleetSnapshotRefresher"/> recomputes them.
/// One per process (a singleton). A change saved by another instance reaches the snapshot within
/// <see cref="FleetSnapshotRefresher.MaxAge"/>.
/// </summary>
public sealed class FleetSnapshotChanges
{
    /// <summary>
    /// How often a refresh looks through the whole fleet for what no event or save of this process reports (tenants
    /// created by another instance, rows due: a new month, a storage reading come due, <see cref="FleetSnapshotRefresher.MaxAge"/>).
    /// </summary>
    public static readonly TimeSpan ScanInterval = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<Guid, byte> _tenants = new();
    private long _lastScanTicks = long.MinValue;

    /// <summary>
    /// Whether a refresh at <paramref name="now"/> should scan the fleet: once per <see cref="ScanInterval"/> (and
    /// whenever the clock went back). Taking the turn starts the next interval.
    /// </summary>
    public bool TakeScanTurn(DateTimeOffset now)
    {
        var last = Interlocked.Read(ref _lastScanTicks);
        var ticks = now.UtcTicks;
        if (last != long.MinValue && ticks >= last && ticks - last < ScanInterval.Ticks)
            return false;
        return Interlocked.CompareExchange(ref _lastScanTicks, ticks, last) == last;
    }

    /// <summary>Marks the tenant's figures as possibly changed.</summary>
    public void Changed(Guid tenantId) => _tenants[tenantId] = 0;

    /// <summary>Takes every marked tenant (the marks are removed).</summary>
    public IReadOnlyCollection<Guid> Drain()
    {
        var drained = new List<Guid>();
        foreach (var id in _tenants.Keys)
            if (_tenants.TryRemove(id, out _))
                drained.Add(id);
        return drained;
    }

    /// <summary>Puts back tenants taken by a refresh that did not write them.</summary>
    public void Restore(IEnumerable<Guid> tenantIds)
    {
        ArgumentNullException.ThrowIfNull(tenantIds);
        foreach (var id in tenantIds)
            Changed(id);
    }
}
