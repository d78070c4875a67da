using TenantPortal.Core.Quotas;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Operations;

/// <summary>One metric of a tenant's running period as an operator sees it: the plan's limit next to the override.</summary>
/// <param name="Metric">The metric.</param>
/// <param name="Used">Used so far this period (seats: current members; gauges: the latest level).</param>
/// <param name="PlanLimit">The plan's quota; -1 for unlimited.</param>
/// <param name="Override">The operator's override, when one is set; -1 for unlimited.</param>
/// <param name="OverrideReason">Why the override was set.</param>
/// <param name="Limit">The limit in force: the override, else the plan's.</param>
/// <param name="Percentage">Share of the limit in force; null when unlimited.</param>
/// <param name="Band">Colour band of the share.</param>
public sealed record OperatorUsageRow(UsageMetric Metric, decimal Used, decimal PlanLimit, decimal? Override, string? OverrideReason,
    decimal Limit, decimal? Percentage, QuotaBand Band);
