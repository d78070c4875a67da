using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// Writes a batch of events in one transaction with a bulk statement, skipping ids the tenant has already reported:
/// the unique (tenant, client event id) index decides, so racing requests with the same id store it once.
/// </summary>
public interface IUsageEventStore
{
    /// <summary>Inserts the events whose ids are new for the tenant; returns those inserted, with their ids, once committed.</summary>
    Task<IReadOnlyList<StoredUsageEvent>> InsertNewAsync(Guid tenantId, IReadOnlyList<UsageEventInput> events, DateTimeOffset receivedAt, CancellationToken cancellationToken);
}
