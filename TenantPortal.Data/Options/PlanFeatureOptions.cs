using System.Globalization;
using Microsoft.Extensions.Configuration;
using TenantPortal.Core.Entitlements;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Options;

/// <summary>
/// The <c>Plans:{Tier}:Features:{name}</c> keys: each replaces the shipped value (<see cref="PlanEntitlements.DefaultValues"/>)
/// of one feature on one tier. A flag takes <c>true</c> or <c>false</c>; a limit a whole number, 0 or more, or -1 for
/// unlimited. An unknown tier or feature, or a value of the wrong kind, throws <see cref="InvalidSettingException"/>
/// naming the key, so the portal does not start with a plan that means something else than it says.
/// </summary>
public static class PlanFeatureOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Plans";

    /// <summary>The sub-section of a tier holding its features.</summary>
    public const string FeaturesSection = "Features";

    /// <summary>Reads the table: the shipped values with every configured one in their place.</summary>
    public static PlanEntitlements Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var values = PlanEntitlements.DefaultValues.ToDictionary(p => p.Key, p => p.Value.ToDictionary(v => v.Key, v => v.Value));
        foreach (var tierSection in configuration.GetSection(SectionName).GetChildren())
        {
            var features = tierSection.GetSection(FeaturesSection);
            if (!features.GetChildren().Any() && features.Value is null)
                continue; // other settings of a plan are not this reader's
            var tierKey = $"{SectionName}:{tierSection.Key}:{FeaturesSection}";
            if (!Enum.TryParse<SubscriptionTier>(tierSection.Key, ignoreCase: true, out var tier) || !Enum.IsDefined(tier)
                || int.TryParse(tierSection.Key, out _))
                throw new InvalidSettingException(tierKey, $"'{tierSection.Key}' is not a plan; use Free, Starter, Professional or Enterprise.");
            if (features.Value is not null)
                throw new InvalidSettingException(tierKey, "holds one value; give each feature its own key, e.g. " + $"{tierKey}:sso=true.");
            foreach (var entry in features.GetChildren())
            {
                var key = $"{tierKey}:{entry.Key}";
                if (!EntitlementFeatures.TryFind(entry.Key.ToLowerInvariant(), out var feature))
                    throw new InvalidSettingException(key, $"'{entry.Key}' is not a feature; the features are {EntitlementFeatures.Names}.");
                values[tier][feature.Name] = Parse(key, feature, entry);
            }
        }
        return new PlanEntitlements(values.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, EntitlementValue>)p.Value));
    }

    private static EntitlementValue Parse(string key, EntitlementFeature feature, IConfigurationSection entry)
    {
        var text = entry.Value?.Trim();
        if (entry.GetChildren().Any() || string.IsNullOrEmpty(text))
            throw new InvalidSettingException(key, feature.Kind == FeatureKind.Flag ? "give true or false." : "give a whole number, 0 or more, or -1 for unlimited.");
        if (feature.Kind == FeatureKind.Flag)
        {
            return bool.TryParse(text, out var on)
                ? EntitlementValue.Flag(on)
                : throw new InvalidSettingException(key, $"'{text}' is not true or false ({feature.Name} is included or not).");
        }
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var limit) && limit >= EntitlementValue.Unlimited
            ? EntitlementValue.Number(limit)
            : throw new InvalidSettingException(key, $"'{text}' is not a whole number, 0 or more, or -1 for unlimited ({feature.Name} is a limit).");
    }
}
