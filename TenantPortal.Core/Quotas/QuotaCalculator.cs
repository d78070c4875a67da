using TenantPortal.Core.Billing;

namespace TenantPortal.Core.Quotas;

/// <summary>Quota arithmetic: percentage used, its colour band and the alert thresholds crossed.</summary>
public static class QuotaCalculator
{
    /// <summary>Yellow from this percentage.</summary>
    public const decimal YellowFrom = 70m;

    /// <summary>Red from this percentage.</summary>
    public const decimal RedFrom = 90m;

    /// <summary>The alert thresholds, in percent.</summary>
    public static readonly IReadOnlyList<int> AlertThresholds = [80, 90, 100];

    /// <summary>
    /// The share of the quota used, in percent (may exceed 100); null for an unlimited quota.
    /// A quota of 0 is 100 % used once anything is used, and 0 % otherwise.
    /// </summary>
    public static decimal? Percentage(decimal used, decimal limit)
    {
        if (limit == PlanCatalog.Unlimited)
            return null;
        if (limit <= 0)
            return used > 0 ? 100m : 0m;
        return used / limit * 100m;
    }

    /// <summary>The colour band of a percentage; unlimited (null) is green.</summary>
    public static QuotaBand Band(decimal? percentage) => percentage switch
    {
        null => QuotaBand.Green,
        >= RedFrom => QuotaBand.Red,
        >= YellowFrom => QuotaBand.Yellow,
        _ => QuotaBand.Green,
    };

    /// <summary>The colour band of usage against a limit.</summary>
    public static QuotaBand Band(decimal used, decimal limit) => Band(Percentage(used, limit));

    /// <summary>The highest alert threshold reached by a percentage, or null when below the first.</summary>
    public static int? HighestThresholdReached(decimal? percentage)
    {
        if (percentage is not { } p)
            return null;
        int? reached = null;
        foreach (var t in AlertThresholds)
        {
            if (p >= t)
                reached = t;
        }
        return reached;
    }
}
