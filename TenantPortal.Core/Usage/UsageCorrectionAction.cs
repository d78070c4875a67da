namespace TenantPortal.Core.Usage;

/// <summary>What a usage correction does to one event (the <c>action</c> of the API, in snake case).</summary>
public enum UsageCorrectionAction
{
    /// <summary>The event no longer counts.</summary>
    Void = 0,
    /// <summary>The event counts with another quantity.</summary>
    Amend = 1,
    /// <summary>A new event, reported late through the correction (operators' backfill of a past period).</summary>
    Backfill = 2,
}
