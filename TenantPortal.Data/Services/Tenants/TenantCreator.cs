using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Billing;

namespace TenantPortal.Data.Services.Tenants;

/// <summary>
/// The one place tenants are created, for customers signing up (<see cref="TenantService"/>) and for operators creating a
/// tenant on a customer's behalf (<see cref="Operations.OperatorTenantService"/>): the fields are checked the same way,
/// the tenant starts through <see cref="Tenant.Create"/> (Free is Active, a paid tier a trial of
/// <c>Billing:TrialDays</c>) with the first segment of its plan history, and a slug taken meanwhile is a field error.
/// The caller adds the owner and the audit entry between <see cref="AddAsync"/> and <see cref="SaveAsync"/>.
/// </summary>
public sealed class TenantCreator(IDbContextFactory<PortalDbContext> contexts, ITenantContext tenantContext, IOptions<BillingOptions> billing, TimeProvider time)
{
    /// <summary>Checks and normalises name, slug and tier; errors name the field.</summary>
    public static Result<NewTenant> Validate(string? name, string? slug, SubscriptionTier tier)
    {
        var validName = TenantInput.Name(name);
        if (!validName.IsSuccess)
            return validName.Error;
        // Held to the text rule as sent: a line break around the slug is refused, not trimmed away.
        var sentSlug = PlainText.Check(slug, "slug", "The slug");
        if (!sentSlug.IsSuccess)
            return sentSlug.Error;
        var trimmed = slug?.Trim() ?? "";
        var validSlug = TenantSlug.Validate(trimmed);
        if (!validSlug.IsSuccess)
            return validSlug.Error;
        if (!Enum.IsDefined(tier))
            return Error.Invalid("tier", "Choose one of the plans.");
        return new NewTenant(validName.Value, trimmed, tier);
    }

    /// <summary>Whether a slug is valid and free (the create form asks as the user types).</summary>
    public async Task<Result> CheckSlugAsync(string? slug, CancellationToken cancellationToken)
    {
        var valid = TenantSlug.Validate(slug);
        if (!valid.IsSuccess)
            return valid;
        return await SlugTakenAsync(slug!, cancellationToken) ? SlugTaken(slug!) : Result.Success();
    }

    /// <summary>
    /// Adds the new tenant and the first segment of its plan history (nothing charged) to <paramref name="db"/>, unless the
    /// slug is taken. Nothing is saved.
    /// </summary>
    public async Task<Result<Tenant>> AddAsync(PortalDbContext db, NewTenant request, CancellationToken cancellationToken)
    {
        if (await SlugTakenAsync(request.Slug, cancellationToken))
            return SlugTaken(request.Slug);
        var tenant = Tenant.Create(request.Name, request.Slug, request.Tier, time.GetUtcNow(), TimeSpan.FromDays(billing.Value.TrialDays));
        db.Tenants.Add(tenant);
        await PlanHistory.RecordAsync(db, tenant.Id, tenant.InitialPlan, cancellationToken);
        return tenant;
    }

    /// <summary>Saves the new tenant with what the caller added; a slug another request took meanwhile is a field error.</summary>
    public async Task<Result> SaveAsync(PortalDbContext db, Tenant tenant, CancellationToken cancellationToken)
    {
        try
        {
            // The tenant does not exist before this save, so its first rows are written in a scope of their own.
            using (tenantContext.BeginCrossTenantScope("creating a tenant and its owner"))
                await db.SaveChangesAsync(cancellationToken);
            return Result.Success();
        }
        catch (DbUpdateException) when (!cancellationToken.IsCancellationRequested)
        {
            // Someone took the slug between the check and the insert: the unique index refused it.
            if (await SlugTakenAsync(tenant.Slug, cancellationToken))
                return SlugTaken(tenant.Slug);
            throw;
        }
    }

    // Tenants are not tenant-owned rows: the table is read whatever the current tenant.
    private async Task<bool> SlugTakenAsync(string slug, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await db.Tenants.AnyAsync(t => t.Slug == slug, cancellationToken);
    }

    private static Error SlugTaken(string slug) => new(ErrorCodes.SlugTaken, $"'{slug}' is taken; choose another slug.", "slug");
}
