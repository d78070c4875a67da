using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Billing.Credits;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Entitlements;
using TenantPortal.Data.Services.Operations;

namespace TenantPortal.Data.Services.Billing.Credits;

/// <summary>
/// Operators and a tenant's credits: the overview, a grant (<c>promotional</c> or <c>operator</c>, with an optional
/// priority and expiry) and the revocation of a grant's unused part; each with a reason, audited in the tenant's log.
/// Checked against the Operator role on every call.
/// </summary>
public sealed class OperatorCreditService(
    IDbContextFactory<PortalDbContext> contexts,
    ITenantContext tenantContext,
    IServiceScopeFactory scopes,
    IPaymentGateway gateway,
    AuditWriter audit,
    CreditAlertService alerts,
    EntitlementService entitlements,
    TimeProvider time)
{
    /// <summary>A tenant's credits (Operator).</summary>
    public async Task<Result<CreditOverview>> GetAsync(Actor actor, Guid tenantId, CancellationToken cancellationToken)
    {
        using (tenantContext.BeginCrossTenantScope("operator checking the role before reading a tenant's credits"))
        {
            await using var check = contexts.CreateDbContext();
            if (!await OperatorRole.IsOperatorAsync(check, actor, cancellationToken))
                return Forbidden();
            if (!await check.Tenants.AnyAsync(t => t.Id == tenantId, cancellationToken))
                return Error.NotFound("That tenant was not found.");
        }
        // Read exactly as the tenant's own Billing tab reads it: through the tenant filter, in a scope working for it.
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(tenantId);
        await using var db = scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        var tenant = await db.Tenants.AsNoTracking().Include(t => t.QuotaOverrides).SingleAsync(t => t.Id == tenantId, cancellationToken);
        var purchasable = await CreditPurchases.AllowedAsync(entitlements, tenantId, cancellationToken);
        return await CreditOverviewReader.ReadAsync(db, tenant, gateway, time.GetUtcNow(), canManage: false, purchasable, cancellationToken);
    }

    /// <summary>Grants credits to a tenant (Operator): source <c>promotional</c> or <c>operator</c>, a reason, optional priority and expiry.</summary>
    public async Task<Result<CreditGrantRow>> GrantAsync(Actor actor, Guid tenantId, CreditGrantRequest request, CancellationToken cancellationToken)
    {
        if (!CreditRules.TryParse(request.Source, out var source) || source == CreditSource.Purchase)
            return Error.Invalid("source", "Choose the source: promotional or operator (purchases are made by the tenant's owners).");
        var now = time.GetUtcNow();
        CreditGrant grant;
        using (tenantContext.BeginCrossTenantScope("operator granting credits to a tenant"))
        {
            await using var db = contexts.CreateDbContext();
            if (!await OperatorRole.IsOperatorAsync(db, actor, cancellationToken))
                return Forbidden();
            var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tenantId, cancellationToken);
            if (tenant is null)
                return Error.NotFound("That tenant was not found.");
            var created = CreditGrant.Create(tenantId, source, request.AmountCents, request.Priority ?? CreditRules.DefaultPriority(source),
                request.ExpiresAt, request.Reason, actor.Display, now);
            if (!created.IsSuccess)
                return created.Error;
            grant = created.Value;
            db.CreditGrants.Add(grant);
            audit.Record(db, tenantId, actor, AuditActions.CreditsGranted, $"credit-grant:{grant.Id}",
                $"{Money.Format(grant.AmountCents)} {CreditRules.Name(source)} credits, priority {grant.Priority}, " +
                (grant.ExpiresAt is { } e ? $"expiring {e.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : "no expiry") + $"; reason: {grant.Reason}");
            await db.SaveChangesAsync(cancellationToken);
        }
        await alerts.EvaluateAsync(tenantId, cancellationToken);
        return CreditGrantRow.From(grant, now);
    }

    /// <summary>Revokes the unused part of a grant (Operator): what invoices consumed stays consumed. Returns the cents taken back.</summary>
    public async Task<Result<long>> RevokeAsync(Actor actor, Guid tenantId, Guid grantId, string? reason, CancellationToken cancellationToken)
    {
        var why = OperatorReason.Validate(reason);
        if (!why.IsSuccess)
            return why.Error;
        long taken;
        using (tenantContext.BeginCrossTenantScope("operator revoking a tenant's credit grant"))
        {
            await using var db = contexts.CreateDbContext();
            if (!await OperatorRole.IsOperatorAsync(db, actor, cancellationToken))
                return Forbidden();
            var grant = await db.CreditGrants.SingleOrDefaultAsync(g => g.Id == grantId && g.TenantId == tenantId, cancellationToken);
            if (grant is null)
                return Error.NotFound("That credit grant was not found.");
            var revoked = grant.Revoke(actor.Display, why.Value, time.GetUtcNow());
            if (!revoked.IsSuccess)
                return revoked.Error;
            taken = revoked.Value;
            audit.Record(db, tenantId, actor, AuditActions.CreditsRevoked, $"credit-grant:{grant.Id}",
                $"{Money.Format(taken)} unused of {Money.Format(grant.AmountCents)} {CreditRules.Name(grant.Source)} credits revoked; reason: {why.Value}");
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                return new Error(ErrorCodes.ConcurrencyConflict, "The grant changed meanwhile (an invoice used some of it). Reload and try again.");
            }
        }
        await alerts.EvaluateAsync(tenantId, cancellationToken);
        return taken;
    }

    private static Error Forbidden() => Error.Forbidden("Only operators can manage tenants' credits.");
}
