using TenantPortal.Core.Common;

namespace TenantPortal.Core.Usage;

/// <summary>
/// Holds an event for the one active correction that changes it: the key (tenant, event) is unique, so a second
/// correction of the event, even a concurrent one, is refused by the database. Deleted when the correction is reverted.
/// </summary>
public class UsageEventLock : ITenantOwned
{
    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>The event's row id.</summary>
    public long UsageEventId { get; set; }

    /// <summary>The row id of the correction that holds it.</summary>
    public long CorrectionRowId { get; set; }
}
