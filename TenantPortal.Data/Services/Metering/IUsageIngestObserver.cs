namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// Told of the events an ingestion stored, once they are committed and before the caller gets its answer (e.g. the
/// quota check's running totals). Called on the request's path: it must be quick and must not throw.
/// </summary>
public interface IUsageIngestObserver
{
    /// <summary>The tenant's events just stored (duplicates left out); never empty.</summary>
    void Stored(Guid tenantId, IReadOnlyList<StoredUsageEvent> events);
}
