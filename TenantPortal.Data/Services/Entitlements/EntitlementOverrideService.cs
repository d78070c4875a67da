using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Common;
using TenantPortal.Core.Entitlements;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Operations;

namespace TenantPortal.Data.Services.Entitlements;

/// <summary>
/// Operators' overrides of a tenant's features: list them beside the plan's values, set one (on/off or a number,
/// optionally until a moment), remove one. Operator role only, across tenants; every change needs a reason and is audited
/// in the tenant's log. The save invalidates every instance's cached entitlements of the tenant (see <see cref="EntitlementCache"/>).
/// </summary>
public sealed class EntitlementOverrideService(IDbContextFactory<PortalDbContext> contexts, PlanEntitlements plans, AuditWriter audit, TimeProvider time)
{
    /// <summary>Largest number a limit override may hold (use -1 for unlimited).</summary>
    public const long MaxLimit = 1_000_000_000;

    /// <summary>Every feature of the tenant: plan value, override and what applies now (Operator).</summary>
    public async Task<Result<IReadOnlyList<OperatorEntitlementRow>>> ListAsync(Actor actor, Guid tenantId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        using var scope = db.BeginCrossTenantScope("operator reading a tenant's entitlements");
        if (!await OperatorRole.IsOperatorAsync(db, actor, cancellationToken))
            return Forbidden();
        var tier = await db.Tenants.Where(t => t.Id == tenantId).Select(t => (Core.Tenants.SubscriptionTier?)t.Tier).SingleOrDefaultAsync(cancellationToken);
        if (tier is null)
            return Error.NotFound("That tenant was not found.");
        var overrides = await db.EntitlementOverrides.AsNoTracking().Where(o => o.TenantId == tenantId).ToDictionaryAsync(o => o.Feature, cancellationToken);
        var now = time.GetUtcNow();
        return EntitlementFeatures.All.Select(f =>
        {
            var o = overrides.GetValueOrDefault(f.Name);
            return new OperatorEntitlementRow(f, plans.Of(tier.Value, f), plans.Resolve(tier.Value, f, o, now),
                o is null ? null : new OperatorOverrideInfo(o.Value, o.ExpiresAt, !o.AppliesAt(now), o.Reason, o.CreatedBy, o.CreatedAt));
        }).ToList();
    }

    /// <summary>
    /// Sets the tenant's value of a feature in place of its plan's (Operator), replacing any override of it. Bad input
    /// (unknown feature, a number for an on/off feature or none for a limit, a limit below -1, an expiry not in the future,
    /// no reason) is refused naming the field, and nothing is written.
    /// </summary>
    public async Task<Result> SetAsync(Actor actor, Guid tenantId, EntitlementOverrideRequest request, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        var value = Validate(request, now);
        if (!value.IsSuccess)
            return value.Error;
        var why = OperatorReason.Validate(reason);
        if (!why.IsSuccess)
            return why.Error;
        var (feature, chosen) = value.Value;

        await using var db = contexts.CreateDbContext();
        using var scope = db.BeginCrossTenantScope("operator overriding a tenant's feature");
        if (!await OperatorRole.IsOperatorAsync(db, actor, cancellationToken))
            return Forbidden();
        var tenant = await db.Tenants.Where(t => t.Id == tenantId).Select(t => new { t.Tier, t.Slug }).SingleOrDefaultAsync(cancellationToken);
        if (tenant is null)
            return Error.NotFound("That tenant was not found.");
        var existing = await db.EntitlementOverrides.SingleOrDefaultAsync(o => o.TenantId == tenantId && o.Feature == feature.Name, cancellationToken);
        var planValue = plans.Of(tenant.Tier, feature);
        var before = existing is null || !existing.AppliesAt(now) ? $"plan {planValue.Describe()}" : $"override {Describe(existing)}";
        if (existing is null)
            db.EntitlementOverrides.Add(existing = new EntitlementOverride { TenantId = tenantId, Feature = feature.Name });
        existing.Enabled = chosen.Enabled;
        existing.Limit = chosen.Limit;
        existing.ExpiresAt = request.ExpiresAt?.ToUniversalTime();
        existing.Reason = why.Value;
        existing.CreatedAt = now;
        existing.CreatedBy = actor.Display.Length > FieldLengths.ShortText ? actor.Display[..FieldLengths.ShortText] : actor.Display;
        audit.Record(db, tenantId, actor, AuditActions.EntitlementOverridden, $"entitlement:{feature.Name}",
            $"{before} → {Describe(existing)} (plan {planValue.Describe()}); reason: {why.Value}");
        return await SaveAsync(db, cancellationToken);
    }

    /// <summary>Removes the tenant's override of a feature (Operator): its plan's value applies again.</summary>
    public async Task<Result> RemoveAsync(Actor actor, Guid tenantId, string? feature, string? reason, CancellationToken cancellationToken)
    {
        if (!EntitlementFeatures.TryFind(feature, out var known))
            return Error.Invalid("feature", "Choose one of the features.");
        var why = OperatorReason.Validate(reason);
        if (!why.IsSuccess)
            return why.Error;
        await using var db = contexts.CreateDbContext();
        using var scope = db.BeginCrossTenantScope("operator removing a tenant's feature override");
        if (!await OperatorRole.IsOperatorAsync(db, actor, cancellationToken))
            return Forbidden();
        var tenant = await db.Tenants.Where(t => t.Id == tenantId).Select(t => new { t.Tier, t.Name }).SingleOrDefaultAsync(cancellationToken);
        if (tenant is null)
            return Error.NotFound("That tenant was not found.");
        var existing = await db.EntitlementOverrides.SingleOrDefaultAsync(o => o.TenantId == tenantId && o.Feature == known.Name, cancellationToken);
        if (existing is null)
            return Error.Invalid("feature", $"{tenant.Name} has no override of {known.DisplayName}.");
        db.EntitlementOverrides.Remove(existing);
        audit.Record(db, tenantId, actor, AuditActions.EntitlementOverrideRemoved, $"entitlement:{known.Name}",
            $"override {Describe(existing)} removed, plan {plans.Of(tenant.Tier, known).Describe()} applies; reason: {why.Value}");
        return await SaveAsync(db, cancellationToken);
    }

    private static Result<(EntitlementFeature Feature, EntitlementValue Value)> Validate(EntitlementOverrideRequest request, DateTimeOffset now)
    {
        if (!EntitlementFeatures.TryFind(request.Feature, out var feature))
            return Error.Invalid("feature", $"Choose one of the features: {EntitlementFeatures.Names}.");
        EntitlementValue value;
        if (feature.Kind == FeatureKind.Flag)
        {
            if (request.Limit is not null)
                return Error.Invalid("limit", $"{feature.DisplayName} is on or off; it takes no number.");
            value = EntitlementValue.Flag(request.Enabled);
        }
        else
        {
            if (request.Limit is not { } limit)
                return Error.Invalid("limit", $"Give {feature.DisplayName} a number: 0 or more, or -1 for unlimited.");
            if (limit < EntitlementValue.Unlimited)
                return Error.Invalid("limit", "A limit is 0 or more, or -1 for unlimited.");
            if (limit > MaxLimit)
                return Error.Invalid("limit", "That limit is too large; use -1 for unlimited.");
            value = EntitlementValue.Number(limit);
        }
        if (request.ExpiresAt is { } end && end <= now)
            return Error.Invalid("expiresAt", "Choose an end in the future, or none.");
        return (feature, value);
    }

    private static async Task<Result> SaveAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return Result.Success();
        }
        catch (DbUpdateConcurrencyException)
        {
            return new Error(ErrorCodes.ConcurrencyConflict, "The override changed meanwhile. Reload and try again.");
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            return new Error(ErrorCodes.ConcurrencyConflict, "Another operator set this override meanwhile. Reload and try again.");
        }
    }

    private static string Describe(EntitlementOverride o) =>
        o.Value.Describe() + (o.ExpiresAt is { } end ? $" until {end.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : "");

    private static Error Forbidden() => Error.Forbidden("Only operators can manage tenants.");
}
