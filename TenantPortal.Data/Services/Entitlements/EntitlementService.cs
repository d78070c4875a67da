using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;
using TenantPortal.Core.Entitlements;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Entitlements;

/// <summary>
/// What a tenant's plan includes (<see cref="PlanEntitlements"/>, from configuration) with the operators' overrides, as the
/// portal enforces it and the API shows it. <see cref="CheckAsync"/> is answered from <see cref="EntitlementCache"/>
/// without touching the database once the tenant's state is loaded; an override's expiry is compared with the clock on
/// every check.
/// </summary>
public sealed class EntitlementService(IDbContextFactory<PortalDbContext> contexts, PlanEntitlements plans, EntitlementCache cache, TimeProvider time)
{
    /// <summary>The field an unknown feature's error names.</summary>
    public const string FeatureField = "feature";

    /// <summary>
    /// The tenant's value of a feature: an override while it applies, else its plan's. Unknown feature or tenant: not found
    /// (the error names the feature). In process, for the portal's own enforcement; the caller has already checked access.
    /// </summary>
    public ValueTask<Result<Entitlement>> CheckAsync(Guid tenantId, string feature, CancellationToken cancellationToken)
    {
        if (!EntitlementFeatures.TryFind(feature, out var known))
            return ValueTask.FromResult<Result<Entitlement>>(UnknownFeature(feature));
        if (cache.TryGet(tenantId) is { } state)
            return ValueTask.FromResult<Result<Entitlement>>(Resolve(state, known));
        return LoadAndResolveAsync(tenantId, known, cancellationToken);
    }

    /// <summary>
    /// The portal's one refusal of a feature the tenant's plan (and the operators' overrides) leave out: success when the
    /// tenant has <paramref name="feature"/>, else <see cref="ErrorCodes.FeatureNotIncluded"/> (403) naming the field
    /// <see cref="FeatureField"/>, the tenant's plan and the plans that include it. <paramref name="what"/> starts the
    /// message ("Single sign-on"). Unknown feature or tenant: not found. In process, like <see cref="CheckAsync"/>.
    /// </summary>
    public async Task<Result> RequireAsync(Guid tenantId, string feature, string what, CancellationToken cancellationToken)
    {
        if (!EntitlementFeatures.TryFind(feature, out var known))
            return UnknownFeature(feature);
        var state = cache.TryGet(tenantId) ?? await LoadAsync(tenantId, cancellationToken);
        if (state is null)
            return TenantNotFound();
        if (Resolve(state, known).Enabled)
            return Result.Success();
        var including = Enum.GetValues<SubscriptionTier>()
            .Where(t => plans.For(t).Any(f => f.Feature.Name == known.Name && f.Value.Enabled))
            .Select(t => t.ToString()).ToList();
        var hint = including.Count switch
        {
            0 => "",
            1 => $" Upgrade to {including[0]} to use it.",
            _ => $" Upgrade to {string.Join(", ", including[..^1])} or {including[^1]} to use it.",
        };
        return new Error(ErrorCodes.FeatureNotIncluded, $"{what} is not included in the {state.Tier} plan.{hint}", FeatureField);
    }

    /// <summary>Every feature's value for the tenant, in the order of <see cref="EntitlementFeatures.All"/>. In process, like <see cref="CheckAsync"/>.</summary>
    public async Task<Result<IReadOnlyList<Entitlement>>> ListAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var state = cache.TryGet(tenantId) ?? await LoadAsync(tenantId, cancellationToken);
        if (state is null)
            return TenantNotFound();
        return EntitlementFeatures.All.Select(f => Resolve(state, f)).ToList();
    }

    /// <summary>Every feature's value for the actor's current tenant (any member, any API key).</summary>
    public async Task<Result<IReadOnlyList<Entitlement>>> ListAsync(Actor actor, CancellationToken cancellationToken)
    {
        var tenant = await GateAsync(actor, cancellationToken);
        if (!tenant.IsSuccess)
            return tenant.Error;
        return await ListAsync(tenant.Value, cancellationToken);
    }

    /// <summary>One feature's value for the actor's current tenant (any member, any API key); an unknown feature is not found.</summary>
    public async Task<Result<Entitlement>> GetAsync(Actor actor, string feature, CancellationToken cancellationToken)
    {
        var tenant = await GateAsync(actor, cancellationToken);
        if (!tenant.IsSuccess)
            return tenant.Error;
        return await CheckAsync(tenant.Value, feature, cancellationToken);
    }

    /// <summary>What a plan includes, every feature in order (the plan comparison shows it).</summary>
    public IReadOnlyList<(EntitlementFeature Feature, EntitlementValue Value)> PlanFeatures(SubscriptionTier tier) => plans.For(tier);

    /// <summary>The not-found error of a name that is no feature, naming it.</summary>
    public static Error UnknownFeature(string? feature) =>
        new(ErrorCodes.NotFound, $"{Echo(feature)} is not a feature; the features are {EntitlementFeatures.Names}.", FeatureField);

    // The name as asked, unless it is too long or holds text the portal never echoes.
    private static string Echo(string? feature) =>
        feature is { Length: > 0 and <= 64 } && PlainText.IsClean(feature) ? $"'{feature}'" : "That name";

    private Entitlement Resolve(TenantEntitlementState state, EntitlementFeature feature) =>
        plans.Resolve(state.Tier, feature, state.Overrides.GetValueOrDefault(feature.Name), time.GetUtcNow());

    private async ValueTask<Result<Entitlement>> LoadAndResolveAsync(Guid tenantId, EntitlementFeature feature, CancellationToken cancellationToken)
    {
        var state = await LoadAsync(tenantId, cancellationToken);
        return state is null ? TenantNotFound() : Resolve(state, feature);
    }

    // Reads the tenant's tier and overrides by its id (the caller decided the tenant), and caches them unless they changed meanwhile.
    private async Task<TenantEntitlementState?> LoadAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var ticket = cache.BeginLoad(tenantId);
        await using var db = contexts.CreateDbContext();
        using var scope = db.BeginCrossTenantScope("entitlement check: one tenant's plan and overrides, by the id its caller resolved");
        var tier = await db.Tenants.Where(t => t.Id == tenantId).Select(t => (SubscriptionTier?)t.Tier).SingleOrDefaultAsync(cancellationToken);
        if (tier is null)
            return null;
        var overrides = await db.EntitlementOverrides.AsNoTracking().Where(o => o.TenantId == tenantId).ToListAsync(cancellationToken);
        var state = new TenantEntitlementState(tier.Value, overrides.ToFrozenDictionary(o => o.Feature, StringComparer.Ordinal), time.GetUtcNow().UtcTicks);
        cache.CompleteLoad(tenantId, ticket, state);
        return state;
    }

    private async Task<Result<Guid>> GateAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewOverview, cancellationToken);
        return gate.IsSuccess ? gate.Value.TenantId : gate.Error;
    }

    private static Error TenantNotFound() => Error.NotFound("That workspace was not found.");
}
