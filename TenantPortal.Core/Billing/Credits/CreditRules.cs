namespace TenantPortal.Core.Billing.Credits;

/// <summary>The limits and defaults of prepaid credits (README, "Prepaid credits").</summary>
public static class CreditRules
{
    /// <summary>The smallest purchase: $10.00.</summary>
    public const long MinPurchaseCents = 1_000;

    /// <summary>The largest purchase: $10,000.00.</summary>
    public const long MaxPurchaseCents = 1_000_000;

    /// <summary>The amounts offered as presets on the Billing tab: $25, $100 and $500.</summary>
    public static readonly IReadOnlyList<long> PurchasePresetsCents = [2_500, 10_000, 50_000];

    /// <summary>The largest single operator grant: $100,000.00.</summary>
    public const long MaxGrantCents = 10_000_000;

    /// <summary>The highest priority number (lower numbers are consumed first; 0 is the first).</summary>
    public const int MaxPriority = 1_000;

    /// <summary>The largest low-balance threshold an owner can set: $100,000.00.</summary>
    public const long MaxThresholdCents = 10_000_000;

    /// <summary>Longest reason.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>
    /// The default priority of a source: promotional credits first (they usually expire), then operator credits, purchased
    /// credits last (they never expire), so that what the customer paid for lasts longest.
    /// </summary>
    public static int DefaultPriority(CreditSource source) => source switch
    {
        CreditSource.Promotional => 10,
        CreditSource.Operator => 50,
        _ => 100,
    };

    /// <summary>The wire name of a source.</summary>
    public static string Name(CreditSource source) => source switch
    {
        CreditSource.Purchase => "purchase",
        CreditSource.Promotional => "promotional",
        CreditSource.Operator => "operator",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };

    /// <summary>Parses a wire name (case-insensitive).</summary>
    public static bool TryParse(string? name, out CreditSource source)
    {
        foreach (var candidate in Enum.GetValues<CreditSource>())
        {
            if (string.Equals(Name(candidate), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                source = candidate;
                return true;
            }
        }
        source = default;
        return false;
    }
}
