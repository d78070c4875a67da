using TenantPortal.Core.Quotas;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services;

/// <summary>One metric's usage in the current period against its quota.</summary>
/// <param name="Metric">The metric.</param>
/// <param name="Used">Counters: the period's sum; gauges: the latest level; seats: members.</param>
/// <param name="Limit">The effective quota; -1 for unlimited.</param>
/// <param name="Percentage">Share of the quota used; null for unlimited.</param>
public sealed record CurrentUsage(UsageMetric Metric, decimal Used, decimal Limit, decimal? Percentage)
{
    /// <summary>The colour band of the usage bar.</summary>
    public QuotaBand Band => QuotaCalculator.Band(Percentage);
}
