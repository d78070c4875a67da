using TenantPortal.Core.Quotas;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>One metric in the period's usage report: use, quota, share, colour band, and overage so far with its cost.</summary>
public sealed record MetricReport(UsageMetric Metric, decimal Used, decimal Limit, decimal? Percentage, QuotaBand Band, decimal Overage, long OverageCents);
