namespace TenantPortal.Core.Entitlements;

/// <summary>
/// The features plans include. A name not listed here is not a feature: the API answers 404 for it and configuration
/// naming it stops the portal at start-up (a typo never silently grants or withholds anything).
/// </summary>
public static class EntitlementFeatures
{
    /// <summary>Single sign-on with the tenant's identity provider.</summary>
    public const string Sso = "sso";
    /// <summary>SCIM 2.0 user provisioning.</summary>
    public const string Scim = "scim";
    /// <summary>Outgoing webhooks to the tenant's endpoints.</summary>
    public const string Webhooks = "webhooks";
    /// <summary>Exporting the audit log (CSV, JSON).</summary>
    public const string AuditExport = "audit_export";
    /// <summary>How many live API keys the tenant may hold.</summary>
    public const string MaxApiKeys = "max_api_keys";
    /// <summary>Prepaid credits (buying and using them).</summary>
    public const string Credits = "credits";

    /// <summary>Every feature, in the order the portal lists them.</summary>
    public static readonly IReadOnlyList<EntitlementFeature> All =
    [
        new(Sso, FeatureKind.Flag, "Single sign-on (SSO)"),
        new(Scim, FeatureKind.Flag, "SCIM provisioning"),
        new(Webhooks, FeatureKind.Flag, "Webhooks"),
        new(AuditExport, FeatureKind.Flag, "Audit log export"),
        new(MaxApiKeys, FeatureKind.Limit, "API keys"),
        new(Credits, FeatureKind.Flag, "Prepaid credits"),
    ];

    private static readonly Dictionary<string, EntitlementFeature> ByName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>The feature with this exact (lower-case) name; false when there is none.</summary>
    public static bool TryFind(string? name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EntitlementFeature? feature)
    {
        feature = null;
        return name is not null && ByName.TryGetValue(name, out feature);
    }

    /// <summary>The names, for messages: <c>sso, scim, …</c>.</summary>
    public static string Names => string.Join(", ", All.Select(f => f.Name));
}
