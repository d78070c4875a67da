using TenantPortal.Core.Usage;

namespace TenantPortal.Web.Components.Tenant;

/// <summary>One quota on the quota banner.</summary>
/// <param name="Metric">The metric.</param>
/// <param name="Threshold">The highest alert threshold it reached (80, 90 or 100).</param>
/// <param name="HardLimit">True when requests beyond the quota are refused; false when overage is billed.</param>
/// <param name="Text">What happens next, in words.</param>
public sealed record QuotaNoticeItem(UsageMetric Metric, int Threshold, bool HardLimit, string Text);
