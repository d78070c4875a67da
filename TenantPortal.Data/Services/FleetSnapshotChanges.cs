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
    private readonly ConcurrentDictionary<Guid, byte> _tenants = new();

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
