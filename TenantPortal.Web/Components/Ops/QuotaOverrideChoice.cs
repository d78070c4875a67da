using TenantPortal.Core.Usage;

namespace TenantPortal.Web.Components.Ops;

/// <summary>What an operator chose in <see cref="QuotaOverrideDialog"/>.</summary>
/// <param name="Metric">The metric.</param>
/// <param name="Limit">The new limit (-1 for unlimited), or null to clear the override.</param>
/// <param name="Reason">Why; goes into the tenant's audit log.</param>
public sealed record QuotaOverrideChoice(UsageMetric Metric, decimal? Limit, string Reason);
