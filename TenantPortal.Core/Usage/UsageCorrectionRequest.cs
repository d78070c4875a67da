namespace TenantPortal.Core.Usage;

/// <summary>
/// A usage correction as asked for: its id (idempotency: the same id again returns the first result), why, and what it
/// does to which events. Applied whole or not at all.
/// </summary>
/// <param name="Id">The caller's id for the correction, unique per tenant.</param>
/// <param name="Reason">Why (1–500 characters), kept in the audit log.</param>
/// <param name="Events">The events it changes, each at most once.</param>
public sealed record UsageCorrectionRequest(string Id, string Reason, IReadOnlyList<UsageCorrectionItem> Events);

/// <summary>One event of a correction.</summary>
/// <param name="EventId">The reporter's id of the event (a new one for <see cref="UsageCorrectionAction.Backfill"/>).</param>
/// <param name="Action">Void, amend or backfill.</param>
/// <param name="Quantity">Amend: the quantity the event counts with from now on. Backfill: the new event's quantity.</param>
/// <param name="Metric">Backfill only: the new event's metric.</param>
/// <param name="Timestamp">Backfill only: when the usage happened.</param>
public sealed record UsageCorrectionItem(string EventId, UsageCorrectionAction Action, decimal? Quantity = null,
    UsageMetric? Metric = null, DateTimeOffset? Timestamp = null);
