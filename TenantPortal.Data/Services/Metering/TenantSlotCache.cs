using System.Collections.Concurrent;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// One cached value per tenant, loaded from the database outside any lock and kept only if nothing changed the tenant
/// while it loaded: every change bumps the tenant's generation, and a load is installed only when the generation it
/// started from is still current. Generations come from one process-wide counter, so a slot evicted and created again
/// never repeats one. Tenants not read for <see cref="IdleTimeout"/> are dropped.
/// </summary>
internal sealed class TenantSlotCache<TValue>(TimeProvider time) where TValue : class
{
    /// <summary>How long a tenant's slot stays without being read.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);

    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<Guid, Slot> _slots = new();
    private long _clock;
    private long _nextSweepTicks = time.GetUtcNow().UtcTicks + SweepInterval.Ticks;

    /// <summary>Tenants holding a slot (loaded or loading).</summary>
    public int Count => _slots.Count;

    /// <summary>Reads the tenant's value under its lock; false when nothing is cached or <paramref name="read"/> says miss.</summary>
    public bool TryRead<TState, TResult>(Guid tenantId, TState state, Func<TValue, TState, (bool Hit, TResult Result)> read, out TResult result)
    {
        var nowTicks = time.GetUtcNow().UtcTicks;
        SweepIfDue(nowTicks);
        result = default!;
        if (!_slots.TryGetValue(tenantId, out var slot))
            return false;
        lock (slot)
        {
            slot.LastReadTicks = nowTicks;
            if (slot.Value is null)
                return false;
            var (hit, value) = read(slot.Value, state);
            result = value;
            return hit;
        }
    }

    /// <summary>Starts a load: the ticket to hand to <see cref="Complete"/> with what was read afterwards.</summary>
    public long BeginLoad(Guid tenantId)
    {
        var slot = _slots.GetOrAdd(tenantId, static (_, self) => new Slot { Generation = Interlocked.Increment(ref self._clock) }, this);
        lock (slot)
        {
            slot.LastReadTicks = time.GetUtcNow().UtcTicks;
            return slot.Generation;
        }
    }

    /// <summary>Caches a loaded value unless the tenant changed since <paramref name="ticket"/>; true when cached.</summary>
    public bool Complete(Guid tenantId, long ticket, TValue value)
    {
        if (!_slots.TryGetValue(tenantId, out var slot))
            return false;
        lock (slot)
        {
            if (slot.Generation != ticket)
                return false;
            slot.Value = value;
            return true;
        }
    }

    /// <summary>Records a change of the tenant: loads in flight won't be kept, and <paramref name="apply"/> updates the cached value.</summary>
    public void Change<TState>(Guid tenantId, TState state, Action<TValue, TState> apply)
    {
        if (!_slots.TryGetValue(tenantId, out var slot))
            return; // nothing cached and no load in flight: the next load reads the committed change
        lock (slot)
        {
            slot.Generation = Interlocked.Increment(ref _clock);
            if (slot.Value is not null)
                apply(slot.Value, state);
        }
    }

    /// <summary>Forgets the tenant's value; loads in flight won't be kept.</summary>
    public void Invalidate(Guid tenantId)
    {
        if (!_slots.TryGetValue(tenantId, out var slot))
            return;
        lock (slot)
        {
            slot.Generation = Interlocked.Increment(ref _clock);
            slot.Value = null;
        }
    }

    /// <summary>Forgets every tenant's value; loads in flight won't be kept.</summary>
    public void InvalidateAll()
    {
        foreach (var tenantId in _slots.Keys)
            Invalidate(tenantId);
    }

    private void SweepIfDue(long nowTicks)
    {
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (nowTicks < due || Interlocked.CompareExchange(ref _nextSweepTicks, nowTicks + SweepInterval.Ticks, due) != due)
            return;
        var idleSince = nowTicks - IdleTimeout.Ticks;
        foreach (var pair in _slots)
        {
            // Removing exactly this slot: one created meanwhile for the tenant stays. A load or change still holding the
            // removed slot works on a detached object, so nothing stale can be read from it.
            if (Volatile.Read(ref pair.Value.LastReadTicks) < idleSince)
                _slots.TryRemove(pair);
        }
    }

    private sealed class Slot
    {
        public long Generation;
        public TValue? Value;
        public long LastReadTicks;
    }
}
