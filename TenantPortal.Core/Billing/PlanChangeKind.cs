namespace TenantPortal.Core.Billing;

/// <summary>What choosing a plan means for a tenant, and when it takes effect.</summary>
public enum PlanChangeKind
{
    /// <summary>The first paid subscription (from a trial, Free or a cancellation): starts at once.</summary>
    Subscribe,
    /// <summary>A higher tier, or monthly to annual: at once, prorated.</summary>
    Upgrade,
    /// <summary>A lower tier, or annual to monthly: at the end of the current period.</summary>
    Downgrade,
    /// <summary>A trial or cancelled tenant moving to Free: at once, nothing to charge.</summary>
    SwitchToFree,
    /// <summary>The plan and cycle the tenant already has.</summary>
    Same,
}
