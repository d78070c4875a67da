namespace TenantPortal.Core.Entitlements;

/// <summary>What a feature's value is: on or off, or a number.</summary>
public enum FeatureKind
{
    /// <summary><c>true</c> or <c>false</c>.</summary>
    Flag,

    /// <summary>A whole number, 0 or more, or <see cref="EntitlementValue.Unlimited"/> (-1) for no limit; 0 means not included.</summary>
    Limit,
}
