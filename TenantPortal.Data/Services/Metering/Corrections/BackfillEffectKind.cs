namespace TenantPortal.Data.Services.Metering.Corrections;

/// <summary>What a backfill does to the bill of one period and metric.</summary>
public enum BackfillEffectKind
{
    /// <summary>The overage doesn't change (the usage stays within the quota, or no overage is billed).</summary>
    NoChange = 0,
    /// <summary>The period is running: its estimate changes by the amount.</summary>
    RunningEstimate = 1,
    /// <summary>The period is closed but not invoiced yet: its invoice will bill the amount more.</summary>
    NotYetInvoiced = 2,
    /// <summary>The period is invoiced: the next invoice bills an adjustment line of the amount.</summary>
    Adjustment = 3,
    /// <summary>The period is invoiced: a credit note of the amount is issued at once.</summary>
    CreditNote = 4,
    /// <summary>The period is invoiced but older than the late-usage window before the next invoice: the increase is not billed.</summary>
    OutsideLateUsageWindow = 5,
}
