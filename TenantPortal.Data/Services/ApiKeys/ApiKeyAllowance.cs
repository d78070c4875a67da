using System.Globalization;
using TenantPortal.Core.Entitlements;

namespace TenantPortal.Data.Services.ApiKeys;

/// <summary>The tenant's live API keys against its <c>max_api_keys</c> entitlement.</summary>
/// <param name="Live">Keys not revoked.</param>
/// <param name="Limit">What the plan (or an operator's override) allows.</param>
public sealed record ApiKeyAllowance(int Live, EntitlementValue Limit)
{
    /// <summary>True when one more key may be created.</summary>
    public bool CanCreate => Limit.AllowsAnother(Live);

    /// <summary>"3 of 5 keys in use", or "3 keys in use, no limit".</summary>
    public string Summary => Limit.IsUnlimited
        ? $"{Count(Live)} in use, no limit"
        : $"{Live.ToString("#,0", CultureInfo.InvariantCulture)} of {Count(Limit.Limit ?? 0)} in use";

    /// <summary>Why no key can be created, or null when one can.</summary>
    public string? Refusal => CanCreate
        ? null
        : Limit.Limit == 0
            ? "Your plan includes no API keys. Move to a plan that does to create one."
            : $"Your plan allows {Count(Limit.Limit ?? 0)} and {Live.ToString("#,0", CultureInfo.InvariantCulture)} are live. Revoke one you no longer need, or move to a plan with more.";

    private static string Count(long n) => n == 1 ? "1 key" : $"{n.ToString("#,0", CultureInfo.InvariantCulture)} keys";
}
