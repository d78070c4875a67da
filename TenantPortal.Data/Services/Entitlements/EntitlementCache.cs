using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Data.Services.Entitlements;

/// <summary>
/// Each tenant's tier and entitlement overrides, held in this process so that an entitlement check is a memory read.
/// It is forgotten for a tenant whenever a save touches the tenant or its overrides: with <c>Metering:QuotaCache=Local</c> or
/// <c>Redis</c> through the quota check's tenant state (<see cref="TenantQuotaStateCache"/> forwards every invalidation here,
/// and under Redis the other instances hear it on <see cref="RedisTenantStateChannel"/>); with <c>None</c> (several instances
/// and no channel between them) by <see cref="Interceptors.EntitlementCacheInvalidationInterceptor"/> on this instance, and on
/// the others a tenant's state is read again once it is <see cref="UnsharedMaxAge"/> old. An override's expiry needs no
/// invalidation: it is compared with the clock on every check.
/// </summary>
public sealed class EntitlementCache
{
    /// <summary>How old a tenant's state may be without a channel telling this instance of changes made by the others.</summary>
    public static readonly TimeSpan UnsharedMaxAge = TimeSpan.FromSeconds(5);

    private readonly TenantSlotCache<TenantEntitlementState> _tenants;
    private readonly TimeProvider _time;
    private readonly long _maxAgeTicks;

    /// <summary>A cache whose entries live until invalidated (or idle), or at most <paramref name="maxAge"/> when given.</summary>
    public EntitlementCache(TimeProvider time, TimeSpan? maxAge = null)
    {
        _time = time;
        _tenants = new TenantSlotCache<TenantEntitlementState>(time);
        _maxAgeTicks = maxAge?.Ticks ?? long.MaxValue;
    }

    /// <summary>Tenants cached or loading.</summary>
    public int TenantCount => _tenants.Count;

    /// <summary>Forgets the tenant's state: the next check reads it again.</summary>
    public void Invalidate(Guid tenantId) => _tenants.Invalidate(tenantId);

    /// <summary>Forgets every tenant's state (invalidations may have been missed).</summary>
    public void InvalidateAll() => _tenants.InvalidateAll();

    /// <summary>The cached state, or null when it must be loaded.</summary>
    internal TenantEntitlementState? TryGet(Guid tenantId)
    {
        if (!_tenants.TryRead(tenantId, _maxAgeTicks, static (state, maxAge) => (true, state), out var found))
            return null;
        return _maxAgeTicks == long.MaxValue || _time.GetUtcNow().UtcTicks - found.LoadedAtTicks < _maxAgeTicks ? found : null;
    }

    /// <summary>Starts loading a tenant; pass the ticket to <see cref="CompleteLoad"/>.</summary>
    internal long BeginLoad(Guid tenantId) => _tenants.BeginLoad(tenantId);

    /// <summary>Caches a loaded state unless the tenant was invalidated since the ticket.</summary>
    internal bool CompleteLoad(Guid tenantId, long ticket, TenantEntitlementState state) => _tenants.Complete(tenantId, ticket, state);
}
