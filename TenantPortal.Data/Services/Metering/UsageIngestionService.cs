using TenantPortal.Core.Common;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// Takes a batch of usage events for one tenant: all-or-nothing validation, then one durable write. An id repeated
/// inside the batch, or seen before for the tenant, is a duplicate and is not counted again. Suspended tenants'
/// usage is recorded too: reported usage is never dropped. Under <c>Metering:QuotaCache=Redis</c> the shared running totals
/// are told after the commit (<see cref="RedisQuotaTotals.StoredAsync"/>, which never fails the batch).
/// </summary>
public sealed class UsageIngestionService(IUsageEventStore store, IEnumerable<IUsageIngestObserver> observers, TimeProvider time,
    RedisQuotaTotals? sharedTotals = null)
{
    /// <summary>Validates and stores the batch; the result is returned only once the events are committed.</summary>
    public async Task<Result<IngestResult>> IngestAsync(Guid tenantId, IReadOnlyList<UsageEventInput> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
            return Error.Invalid("events", "A batch holds 1 to 1,000 events; this one is empty.");
        if (events.Count > UsageBatchRules.MaxEvents)
            return Error.Invalid("events", $"A batch holds at most {UsageBatchRules.MaxEvents:N0} events; this one has {events.Count:N0}.");
        var now = time.GetUtcNow();
        for (var i = 0; i < events.Count; i++)
        {
            var check = UsageBatchRules.Check(i, events[i], now);
            if (!check.IsSuccess)
                return check.Error;
        }

        // The first occurrence of an id in the batch wins; later ones are duplicates.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var distinct = events.Where(e => seen.Add(e.ClientEventId)).ToList();
        var stored = await store.InsertNewAsync(tenantId, distinct, now, cancellationToken);
        if (stored.Count > 0)
        {
            foreach (var observer in observers)
                observer.Stored(tenantId, stored);
        }
        if (sharedTotals is not null)
            await sharedTotals.StoredAsync(tenantId, stored, distinct, hadStoredDuplicates: stored.Count < distinct.Count, now);
        return new IngestResult(stored.Count, events.Count - stored.Count);
    }
}
