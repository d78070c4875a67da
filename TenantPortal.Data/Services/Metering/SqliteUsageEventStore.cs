using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// SQLite: hands the batch to the process's one <see cref="SqliteUsageWriter"/>, which writes it with the other
/// batches pending (group commit) and answers once their transaction committed. Duplicates are decided by the unique
/// (tenant, client event id) index: racing requests with the same id store it once.
/// </summary>
public sealed class SqliteUsageEventStore(SqliteUsageWriter writer) : IUsageEventStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<StoredUsageEvent>> InsertNewAsync(Guid tenantId, IReadOnlyList<UsageEventInput> events, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        writer.WriteAsync(tenantId, events, receivedAt, cancellationToken);
}
