using System.Data.Common;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// The provider's SQL for the rollup job: aggregate a range of events into the rollup buckets, and how large a range
/// one run (one transaction) takes on that provider and how long its statements may run.
/// </summary>
public interface IRollupStore
{
    /// <summary>
    /// Most events one run rolls up: a backlog takes several runs, each a transaction of its own, short enough that its
    /// statements finish well within <see cref="CommandTimeout"/> on a loaded server and its locks and row versions are
    /// held briefly.
    /// </summary>
    int MaxEventsPerRun { get; }

    /// <summary>The command timeout of every statement of a run: the raw aggregation and the run's EF Core commands.</summary>
    TimeSpan CommandTimeout { get; }

    /// <summary>
    /// Inside <paramref name="transaction"/>: adds the events with ids in (<paramref name="fromId"/>, <paramref name="toId"/>] to
    /// the hour, day and month rollups (sums and counts), and moves each gauge bucket's latest level when a newer reading arrived.
    /// </summary>
    Task AggregateAsync(DbConnection connection, DbTransaction transaction, long fromId, long toId, DateTimeOffset now, CancellationToken cancellationToken);
}
