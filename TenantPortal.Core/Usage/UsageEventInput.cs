namespace TenantPortal.Core.Usage;

/// <summary>One event as a service reports it, already parsed: its id, metric, quantity and time.</summary>
/// <param name="ClientEventId">The reporter's id, unique per tenant.</param>
/// <param name="Metric">The metric.</param>
/// <param name="Quantity">Amount (counters) or level (gauges).</param>
/// <param name="Timestamp">When the usage happened.</param>
public sealed record UsageEventInput(string ClientEventId, UsageMetric Metric, decimal Quantity, DateTimeOffset Timestamp);
