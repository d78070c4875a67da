using System.Data.Common;

namespace TenantPortal.Data.Services.Metering;

/// <summary>The provider's SQL for the rollup job: aggregate a range of events into the rollup buckets.</summary>
public interface IRollupStore
{
    /// <summary>
    /// Inside <paramref name="transaction"/>: adds the events with ids in (<paramref name="fromId"/>, <paramref name="toId"/>] to
    /// the hour, day and month rollups (sums and counts), and moves each gauge bucket's latest level when a newer reading arrived.
    /// </summary>
    Task AggregateAsync(DbConnection connection, DbTransaction transaction, long fromId, long toId, DateTimeOffset now, CancellationToken cancellationToken);
}
