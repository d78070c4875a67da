using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.ApiKeys;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Data.Services.Tenants;

/// <summary>Creates, edits, deletes and transfers tenants, with the role rules of PRODUCT.md section 3.</summary>
public sealed class TenantService(
    IDbContextFactory<PortalDbContext> contexts,
    ITenantContext tenantContext,
    AuditWriter audit,
    TenantCreator creator,
    IPortalAddresses portal,
    TenantDeletionService deletion,
    TimeProvider timeProvider,
    QuotaUsageCache? quotaUsage = null,
    TenantQuotaStateCache? quotaState = null,
    ApiKeyCache? apiKeys = null,
    RedisTenantStateChannel? quotaStateOthers = null)
{
    /// <summary>Checks a slug for the create form: the rules, then whether it is free.</summary>
    public Task<Result> CheckSlugAsync(string? slug, CancellationToken cancellationToken) => creator.CheckSlugAsync(slug, cancellationToken);

    /// <summary>
    /// Creates a tenant with the user as its Owner (<see cref="TenantCreator"/>: Free tenants are Active, paid tiers start
    /// a trial of <c>Billing:TrialDays</c>). Once created, the new tenant becomes the current one.
    /// </summary>
    public async Task<Result<TenantAccess>> CreateAsync(Actor actor, CreateTenantRequest request, CancellationToken cancellationToken)
    {
        var input = TenantCreator.Validate(request.Name, request.Slug, request.Tier);
        if (!input.IsSuccess)
            return input.Error;
        await using var db = contexts.CreateDbContext();
        var added = await creator.AddAsync(db, input.Value, cancellationToken);
        if (!added.IsSuccess)
            return added.Error;
        var tenant = added.Value;
        db.Members.Add(new TenantMember { TenantId = tenant.Id, UserId = actor.UserId, Role = TenantRole.Owner, JoinedAt = tenant.CreatedAt });
        audit.Record(db, tenant.Id, actor, AuditActions.TenantCreated, $"tenant:{tenant.Slug}", $"{tenant.Tier}, {tenant.Status}");
        var saved = await creator.SaveAsync(db, tenant, cancellationToken);
        if (!saved.IsSuccess)
            return saved.Error;
        tenantContext.SetTenant(tenant.Id);
        return new TenantAccess(tenant.Id, tenant.Slug, tenant.Name, tenant.Tier, tenant.Status, TenantRole.Owner);
    }

    /// <summary>The current tenant's details (any member).</summary>
    public async Task<Result<TenantDetails>> GetDetailsAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewOverview, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var t = await db.Tenants.AsNoTracking().SingleAsync(x => x.Id == gate.Value.TenantId, cancellationToken);
        return new TenantDetails(t.Id, t.Name, t.Slug, t.BillingEmail, t.CustomDomain, t.Tier, t.Status, t.CreatedAt, t.TrialEndsAt, t.ConcurrencyStamp)
        {
            RequireOwnerTwoFactor = t.RequireOwnerTwoFactor, CustomDomainVerifiedAt = t.CustomDomainVerifiedAt,
        };
    }

    /// <summary>Updates name, billing email and custom domain (Admin). Refused when someone else saved since the stamp was read.</summary>
    public async Task<Result<TenantDetails>> UpdateAsync(Actor actor, UpdateTenantRequest request, CancellationToken cancellationToken)
    {
        var name = TenantInput.Name(request.Name);
        if (!name.IsSuccess)
            return name.Error;
        var email = TenantInput.OptionalEmail(request.BillingEmail, "billingEmail");
        if (!email.IsSuccess)
            return email.Error;
        var domain = TenantInput.OptionalDomain(request.CustomDomain, portal);
        if (!domain.IsSuccess)
            return domain.Error;

        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.EditSettings, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var tenant = await db.Tenants.SingleAsync(t => t.Id == gate.Value.TenantId, cancellationToken);
        if (tenant.ConcurrencyStamp != request.ConcurrencyStamp)
            return new Error(ErrorCodes.ConcurrencyConflict, "Someone else changed these settings meanwhile. Reload to see their changes.");
        if (domain.Value is { } d && await db.Tenants.AnyAsync(t => t.CustomDomain == d && t.Id != tenant.Id, cancellationToken))
            return DomainTaken(d);

        var changes = Describe(("name", tenant.Name, name.Value), ("billing email", tenant.BillingEmail, email.Value), ("custom domain", tenant.CustomDomain, domain.Value));
        tenant.Name = name.Value;
        tenant.BillingEmail = email.Value;
        if (tenant.CustomDomain != domain.Value)
        {
            // A new domain has to be verified again before it routes.
            tenant.CustomDomain = domain.Value;
            tenant.CustomDomainVerifiedAt = null;
            // A name the tenant holds verified in its domains (Settings, Domains) is proven already.
            if (domain.Value is { } proven && await db.TenantDomains.AnyAsync(d => d.Name == proven && d.VerifiedAt != null, cancellationToken))
                tenant.CustomDomainProven(proven, timeProvider.GetUtcNow());
        }
        tenant.ConcurrencyStamp = Guid.NewGuid();
        if (changes.Length > 0)
            audit.Record(db, tenant.Id, actor, AuditActions.TenantUpdated, $"tenant:{tenant.Slug}", changes);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new Error(ErrorCodes.ConcurrencyConflict, "Someone else changed these settings meanwhile. Reload to see their changes.");
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex) && domain.Value is { } taken)
        {
            // Another workspace saved the same domain between the check and this save: the unique index refused it.
            return DomainTaken(taken);
        }
        return new TenantDetails(tenant.Id, tenant.Name, tenant.Slug, tenant.BillingEmail, tenant.CustomDomain, tenant.Tier, tenant.Status,
            tenant.CreatedAt, tenant.TrialEndsAt, tenant.ConcurrencyStamp)
        {
            RequireOwnerTwoFactor = tenant.RequireOwnerTwoFactor, CustomDomainVerifiedAt = tenant.CustomDomainVerifiedAt,
        };
    }

    private static Error DomainTaken(string domain) => Error.Invalid("customDomain", $"'{domain}' is used by another workspace.");

    /// <summary>
    /// Switches whether the tenant's Owners must use two-factor authentication (Owner only). Switching it on is refused
    /// unless the acting Owner has two-factor authentication set up, so that they do not shut themselves out.
    /// </summary>
    public async Task<Result> SetOwnerTwoFactorAsync(Actor actor, bool required, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageSecurity, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var tenant = await db.Tenants.SingleAsync(t => t.Id == gate.Value.TenantId, cancellationToken);
        if (tenant.RequireOwnerTwoFactor == required)
            return Result.Success();
        if (required && !await db.Users.AnyAsync(u => u.Id == actor.UserId && u.TwoFactorEnabled, cancellationToken))
            return new Error(ErrorCodes.TwoFactorRequired,
                "Set up two-factor authentication for your own account first; otherwise this would lock you out.", "requireOwnerTwoFactor");
        tenant.RequireOwnerTwoFactor = required;
        tenant.ConcurrencyStamp = Guid.NewGuid();
        audit.Record(db, tenant.Id, actor, AuditActions.OwnerTwoFactorChanged, $"tenant:{tenant.Slug}",
            required ? "owners must use two-factor authentication" : "two-factor authentication optional for owners");
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success();
    }

    /// <summary>
    /// Deletes the tenant and all its data (Owner), once the slug is typed to confirm. The tenant is marked deleted first, with
    /// the audit entry, in one short transaction: from then on it is gone for everyone (members, operators, its API keys).
    /// Its data is then deleted in batches (<see cref="TenantDeletionService"/>); if that stops midway, the
    /// <c>tenant-deletion</c> job finishes it. The audit entry survives.
    /// </summary>
    public async Task<Result> DeleteAsync(Actor actor, string confirmation, CancellationToken cancellationToken)
    {
        Guid tenantId;
        await using (var db = contexts.CreateDbContext())
        {
            var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.DeleteTenant, cancellationToken);
            if (!gate.IsSuccess)
                return gate.Error;
            // A tenant being deleted is hidden (its memberships go last, with the tenant row): it is not found.
            var tenant = await db.Tenants.SingleOrDefaultAsync(t => t.Id == gate.Value.TenantId, cancellationToken);
            if (tenant is null)
                return Error.NotFound("This workspace was deleted.");
            if (!string.Equals(confirmation?.Trim(), tenant.Slug, StringComparison.Ordinal))
                return new Error(ErrorCodes.ConfirmationMismatch, $"Type the slug '{tenant.Slug}' exactly to confirm.", "confirmation");
            var requested = tenant.RequestDeletion(timeProvider.GetUtcNow());
            if (!requested.IsSuccess)
                return requested.Error;
            audit.Record(db, tenant.Id, actor, AuditActions.TenantDeleted, $"tenant:{tenant.Slug}", $"'{tenant.Name}' and all its data deleted");
            await db.SaveChangesAsync(cancellationToken);
            tenantId = tenant.Id;
        }
        // The caches are told at once (a cached key must not let a request in to write for a tenant that is gone).
        quotaState?.Invalidate(tenantId);
        quotaStateOthers?.Publish(tenantId);
        quotaUsage?.Invalidate(tenantId);
        apiKeys?.ForgetTenant(tenantId);
        await deletion.ContinueAsync(tenantId, cancellationToken);
        return Result.Success();
    }

    /// <summary>Makes another member an Owner and the acting Owner an Admin (Owner only).</summary>
    public async Task<Result> TransferOwnershipAsync(Actor actor, string newOwnerUserId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.TransferOwnership, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        if (newOwnerUserId == actor.UserId)
            return Error.Invalid("userId", "You already own this workspace; choose another member.");
        var target = await db.Members.SingleOrDefaultAsync(m => m.UserId == newOwnerUserId, cancellationToken);
        if (target is null)
            return Error.NotFound("That person is not a member of this workspace.");
        var email = await db.Users.Where(u => u.Id == newOwnerUserId).Select(u => u.Email).SingleAsync(cancellationToken);
        target.Role = TenantRole.Owner;
        gate.Value.Role = TenantRole.Admin;
        audit.Record(db, gate.Value.TenantId, actor, AuditActions.OwnershipTransferred, $"member:{email}", $"{actor.Display} is now Admin");
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success();
    }

    private static string Describe(params (string Field, string? Before, string? After)[] fields) =>
        string.Join("; ", fields.Where(f => f.Before != f.After).Select(f => $"{f.Field}: '{f.Before}' → '{f.After}'"));
}
