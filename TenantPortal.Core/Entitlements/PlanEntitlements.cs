using TenantPortal.Core.Tenants;

namespace TenantPortal.Core.Entitlements;

/// <summary>
/// What each plan includes: a value for every feature of <see cref="EntitlementFeatures"/> on every tier. The shipped
/// values are <see cref="Defaults"/>; configuration (<c>Plans:{Tier}:Features:{name}</c>) may replace any of them. A tenant's
/// effective value is an operator's override while it applies, else its plan's (<see cref="Resolve"/>).
/// </summary>
public sealed class PlanEntitlements
{
    // [tier][feature index]: a lookup is two array reads once the feature is known.
    private readonly EntitlementValue[][] _values;

    /// <summary>
    /// The table from explicit values; every tier needs a value for every feature, of the feature's kind (a flag has no
    /// number; a limit is -1 or more).
    /// </summary>
    public PlanEntitlements(IReadOnlyDictionary<SubscriptionTier, IReadOnlyDictionary<string, EntitlementValue>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = new EntitlementValue[Tiers.Length][];
        foreach (var tier in Tiers)
        {
            if (!values.TryGetValue(tier, out var plan))
                throw new ArgumentException($"No features for {tier}.", nameof(values));
            var row = new EntitlementValue[EntitlementFeatures.All.Count];
            for (var i = 0; i < row.Length; i++)
            {
                var feature = EntitlementFeatures.All[i];
                if (!plan.TryGetValue(feature.Name, out var value))
                    throw new ArgumentException($"No value of {feature.Name} for {tier}.", nameof(values));
                if (!Fits(feature, value))
                    throw new ArgumentException($"The value of {feature.Name} for {tier} is not a {feature.Kind}.", nameof(values));
                row[i] = value;
            }
            _values[(int)tier] = row;
        }
    }

    private static readonly SubscriptionTier[] Tiers = Enum.GetValues<SubscriptionTier>();

    private static readonly Dictionary<string, int> Index =
        EntitlementFeatures.All.Select((f, i) => (f.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);

    /// <summary>
    /// The shipped values: SSO, SCIM, webhooks and audit export from Professional up; prepaid credits on every paid tier;
    /// API keys 2 (Free), 5 (Starter), 25 (Professional), unlimited (Enterprise).
    /// </summary>
    public static IReadOnlyDictionary<SubscriptionTier, IReadOnlyDictionary<string, EntitlementValue>> DefaultValues { get; } =
        new Dictionary<SubscriptionTier, IReadOnlyDictionary<string, EntitlementValue>>
        {
            [SubscriptionTier.Free] = Plan(business: false, credits: false, apiKeys: 2),
            [SubscriptionTier.Starter] = Plan(business: false, credits: true, apiKeys: 5),
            [SubscriptionTier.Professional] = Plan(business: true, credits: true, apiKeys: 25),
            [SubscriptionTier.Enterprise] = Plan(business: true, credits: true, apiKeys: EntitlementValue.Unlimited),
        };

    /// <summary>The shipped table.</summary>
    public static PlanEntitlements Defaults { get; } = new(DefaultValues);

    /// <summary>True when <paramref name="value"/> is of the feature's kind.</summary>
    public static bool Fits(EntitlementFeature feature, EntitlementValue value) => feature.Kind switch
    {
        FeatureKind.Flag => value.Limit is null,
        _ => value.Limit is { } n && n >= EntitlementValue.Unlimited && value.Enabled == (n != 0),
    };

    /// <summary>The plan's value of a feature.</summary>
    public EntitlementValue Of(SubscriptionTier tier, EntitlementFeature feature) => _values[(int)tier][Index[feature.Name]];

    /// <summary>Every feature of a plan with its value, in the order of <see cref="EntitlementFeatures.All"/>.</summary>
    public IReadOnlyList<(EntitlementFeature Feature, EntitlementValue Value)> For(SubscriptionTier tier) =>
        EntitlementFeatures.All.Select((f, i) => (f, _values[(int)tier][i])).ToList();

    /// <summary>
    /// The tenant's effective value: the override when there is one and it applies at <paramref name="now"/> (its expiry is
    /// exclusive), else the plan's.
    /// </summary>
    public Entitlement Resolve(SubscriptionTier tier, EntitlementFeature feature, EntitlementOverride? @override, DateTimeOffset now) =>
        @override is not null && @override.AppliesAt(now)
            ? new Entitlement(feature, @override.Value, EntitlementSource.Override, @override.ExpiresAt)
            : new Entitlement(feature, Of(tier, feature), EntitlementSource.Plan, null);

    private static Dictionary<string, EntitlementValue> Plan(bool business, bool credits, long apiKeys) => new()
    {
        [EntitlementFeatures.Sso] = EntitlementValue.Flag(business),
        [EntitlementFeatures.Scim] = EntitlementValue.Flag(business),
        [EntitlementFeatures.Webhooks] = EntitlementValue.Flag(business),
        [EntitlementFeatures.AuditExport] = EntitlementValue.Flag(business),
        [EntitlementFeatures.MaxApiKeys] = EntitlementValue.Number(apiKeys),
        [EntitlementFeatures.Credits] = EntitlementValue.Flag(credits),
    };
}
