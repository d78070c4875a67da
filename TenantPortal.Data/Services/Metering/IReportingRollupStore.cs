using System.Data.Common;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// A rollup store that reads every event of the range itself (SQLite aggregates in process) and so reports, at no
/// extra cost, which tenants and gauges the run touched (<see cref="RollupReport"/>). Other stores aggregate in SQL, and
/// the run reads those facts from the events.
/// </summary>
public interface IReportingRollupStore : IRollupStore
{
    /// <summary>As <see cref="IRollupStore.AggregateAsync"/>, and returns what the events of the range touched.</summary>
    Task<RollupReport> AggregateAndReportAsync(DbConnection connection, DbTransaction transaction, long fromId, long toId, DateTimeOffset now, CancellationToken cancellationToken);
}
