namespace TenantPortal.Data.Services.Billing.Credits;

/// <summary>A tenant's prepaid credits as the Billing and Usage tabs and the API show them.</summary>
/// <param name="BalanceCents">The remainder of the grants usable now.</param>
/// <param name="Currency">ISO currency, lower-case.</param>
/// <param name="ThisPeriodUseCents">What the running period's invoice would take from the balance so far (its "Credits applied").</param>
/// <param name="DailyBurnCents">The running period's charges per day (base spread over the period, overage so far over the days elapsed).</param>
/// <param name="ProjectedRunOutAt">The day the balance runs out at that rate; null when it doesn't (nothing accrues, or beyond five years) or there is none.</param>
/// <param name="LowBalanceThresholdCents">The owner's low-balance alert threshold; null for none.</param>
/// <param name="Grants">Every grant, newest first.</param>
/// <param name="Consumption">What grants paid of invoices, newest first.</param>
/// <param name="CanManage">True when the reader may buy credits and set the threshold (Owner).</param>
/// <param name="UsesStripe">True when a purchase goes through Stripe Checkout; false when granted at once on the ledger.</param>
/// <param name="Purchasable">True when the tenant's plan (or an operator's override) includes buying credits: the <c>credits</c> entitlement.</param>
public sealed record CreditOverview(long BalanceCents, string Currency, long ThisPeriodUseCents, decimal DailyBurnCents, DateTimeOffset? ProjectedRunOutAt,
    long? LowBalanceThresholdCents, IReadOnlyList<CreditGrantRow> Grants, IReadOnlyList<CreditConsumptionRow> Consumption, bool CanManage, bool UsesStripe, bool Purchasable);
