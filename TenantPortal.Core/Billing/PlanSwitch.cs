using TenantPortal.Core.Tenants;

namespace TenantPortal.Core.Billing;

/// <summary>
/// What a tenant's plan history must record after a transition of the tenant: from <paramref name="At"/> on, the tenant
/// is on <paramref name="Tier"/>/<paramref name="Cycle"/>, charged or not. The transitions of <see cref="Tenant"/>
/// return it; the caller writes it into the history (the invoices' base lines are computed from that history).
/// </summary>
/// <param name="Tier">The plan from <paramref name="At"/> on.</param>
/// <param name="Cycle">Its billing cycle.</param>
/// <param name="Charged">False for a trial, Free, or the time after a subscription ended.</param>
/// <param name="At">When it takes effect (in the future for a change scheduled for the period end).</param>
public sealed record PlanSwitch(SubscriptionTier Tier, BillingCycle Cycle, bool Charged, DateTimeOffset At);
