using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering.Corrections;

/// <summary>
/// Told of a usage correction (or its revert) once it is committed, e.g. to settle periods already invoiced (credit
/// notes). Every registered observer is called, in registration order; a failure is logged by the caller and retried by
/// the observer's own means, never undoing the committed correction.
/// </summary>
public interface IUsageCorrectionObserver
{
    /// <summary>The correction's effect on usage, committed.</summary>
    Task CorrectedAsync(UsageCorrectionApplied applied, CancellationToken cancellationToken);
}

/// <summary>What a committed correction (or revert) changed: per event, the change in counted quantity.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="CorrectionId">The correction's id (the caller's).</param>
/// <param name="Reverted">True when this is the revert of the correction.</param>
/// <param name="Reason">The correction's reason (or the revert's).</param>
/// <param name="Changes">One entry per event changed: its metric, timestamp and the change in counted quantity.</param>
public sealed record UsageCorrectionApplied(Guid TenantId, string CorrectionId, bool Reverted, string Reason,
    IReadOnlyList<UsageQuantityChange> Changes);

/// <summary>The change a correction made to the counted quantity of one event (negative for a void).</summary>
public sealed record UsageQuantityChange(UsageMetric Metric, DateTimeOffset Timestamp, decimal Delta);
