using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// Writes a batch of events in one transaction with a bulk statement, skipping ids the tenant has already reported:
/// the unique (tenant, client event id) index decides, so racing requests with the same id store it once.
/// Every implementation for a server database enters the <see cref="IUsageCommitBarrier"/> in its transaction before its
/// first insert (one line: <c>await barrier.EnterIngestAsync(connection, transaction, cancellationToken);</c>, the barrier
/// injected): without it a rollup or a quota total can pass over an id this transaction commits later. SQLite's store
/// needs none (one writer at a time commits ids in order); <c>UsageEventStoreBarrierTests</c> holds every other store to it.
/// </summary>
public interface IUsageEventStore
{
    /// <summary>Inserts the events whose ids are new for the tenant; returns those inserted, with their ids, once committed.</summary>
    Task<IReadOnlyList<StoredUsageEvent>> InsertNewAsync(Guid tenantId, IReadOnlyList<UsageEventInput> events, DateTimeOffset receivedAt, CancellationToken cancellationToken);
}
