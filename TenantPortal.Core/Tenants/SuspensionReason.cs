namespace TenantPortal.Core.Tenants;

/// <summary>
/// Who suspended a tenant, and so who may lift the suspension (docs/decisions/0008-tenant-lifecycle.md): an operator's
/// suspension only an operator; the billing suspensions a payment or a subscription.
/// </summary>
public enum SuspensionReason
{
    /// <summary>An operator suspended the tenant; only an operator lifts it, whatever billing does meanwhile.</summary>
    Operator = 0,
    /// <summary>The trial of a paid tier ended without a subscription; subscribing (or Free, or an operator) lifts it.</summary>
    TrialExpired = 1,
    /// <summary>A payment stayed overdue past the dunning grace period; paying (or an operator) lifts it.</summary>
    NonPayment = 2,
}
