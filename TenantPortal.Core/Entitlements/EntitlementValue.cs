using System.Globalization;

namespace TenantPortal.Core.Entitlements;

/// <summary>A feature's value: on/off for a flag; for a limit, the number (-1 unlimited), and on when it is not 0.</summary>
/// <param name="Enabled">True when the feature is included.</param>
/// <param name="Limit">The number of a limit feature; null for a flag.</param>
public readonly record struct EntitlementValue(bool Enabled, long? Limit)
{
    /// <summary>The stored value of an unlimited limit, as for quotas.</summary>
    public const long Unlimited = -1;

    /// <summary>A flag's value.</summary>
    public static EntitlementValue Flag(bool enabled) => new(enabled, null);

    /// <summary>A limit's value (-1 unlimited, 0 not included).</summary>
    public static EntitlementValue Number(long limit) => new(limit != 0, limit);

    /// <summary>True when a limit feature has no limit.</summary>
    public bool IsUnlimited => Limit == Unlimited;

    /// <summary>Whether one more may be added when <paramref name="used"/> are in use.</summary>
    public bool AllowsAnother(long used) => Limit is not { } limit ? Enabled : limit == Unlimited || used < limit;

    /// <summary>How the portal shows it: Included / Not included, or the number / Unlimited.</summary>
    public string Describe() => Limit switch
    {
        null => Enabled ? "Included" : "Not included",
        Unlimited => "Unlimited",
        { } n => n.ToString("#,0", CultureInfo.InvariantCulture),
    };
}
