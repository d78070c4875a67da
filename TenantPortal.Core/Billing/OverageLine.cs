using TenantPortal.Core.Usage;

namespace TenantPortal.Core.Billing;

/// <summary>One metric's overage: the quantity beyond the quota, its unit price and the amount rounded once to the cent.</summary>
public sealed record OverageLine(UsageMetric Metric, decimal Included, decimal Used, decimal Quantity, decimal UnitPriceCents, long AmountCents);
