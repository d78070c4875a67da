namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// The answer to "may the tenant use <c>amount</c> more of a metric now?": the period's use so far, the quota
/// (-1 unlimited), what remains (null when unlimited), when the period resets, whether the amount would be billed as
/// overage, and why not when it is refused.
/// </summary>
public sealed record QuotaDecision(bool Allowed, decimal Used, decimal Limit, decimal? Remaining, DateTimeOffset ResetsAt, bool Overage, string? Reason);
