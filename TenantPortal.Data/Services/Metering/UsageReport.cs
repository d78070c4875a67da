namespace TenantPortal.Data.Services.Metering;

/// <summary>The running period's usage and estimated cost: base price plus overage so far, in cents.</summary>
public sealed record UsageReport(DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, IReadOnlyList<MetricReport> Metrics, long BaseCents, long EstimatedTotalCents);
