using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Billing.Credits;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Entitlements;

namespace TenantPortal.Data.Services.Billing.Credits;

/// <summary>
/// The current tenant's prepaid credits: the overview (balance, grants, consumption, this period's use, run-out date;
/// Admin, as billing is), buying credits and the low-balance threshold (Owner, as the subscription is). On the ledger a
/// purchase is granted at once; with Stripe it opens a Checkout session in payment mode, and the
/// <c>checkout.session.completed</c> webhook makes the grant. Checked against the database on every call; audited.
/// </summary>
public sealed class CreditService(
    IDbContextFactory<PortalDbContext> contexts,
    IPaymentGateway gateway,
    AuditWriter audit,
    CreditAlertService alerts,
    EntitlementService entitlements,
    TimeProvider time,
    ILogger<CreditService> logger)
{
    /// <summary>The tenant's credits (Admin; an API key with billing:read).</summary>
    public async Task<Result<CreditOverview>> GetOverviewAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewBilling, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var tenant = await db.Tenants.AsNoTracking().Include(t => t.QuotaOverrides).SingleAsync(t => t.Id == gate.Value.TenantId, cancellationToken);
        var purchasable = await CreditPurchases.AllowedAsync(entitlements, tenant.Id, cancellationToken);
        return await CreditOverviewReader.ReadAsync(db, tenant, gateway, time.GetUtcNow(),
            RolePolicy.Allows(gate.Value.Role, TenantPermission.ManageSubscription), purchasable, cancellationToken);
    }

    /// <summary>
    /// Buys <paramref name="amountCents"/> of credits (Owner), within <see cref="CreditRules.MinPurchaseCents"/> and
    /// <see cref="CreditRules.MaxPurchaseCents"/>. Ledger: granted at once. Stripe: returns Checkout's address; nothing is
    /// granted until Stripe reports the payment.
    /// </summary>
    public async Task<Result<CreditPurchaseOutcome>> PurchaseAsync(Actor actor, long amountCents, Uri returnUrl, CancellationToken cancellationToken)
    {
        if (amountCents < CreditRules.MinPurchaseCents || amountCents > CreditRules.MaxPurchaseCents)
            return Error.Invalid("amountCents",
                $"Buy from {Money.Format(CreditRules.MinPurchaseCents)} to {Money.Format(CreditRules.MaxPurchaseCents)} of credits.");
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageSubscription, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var tenant = await db.Tenants.SingleAsync(t => t.Id == gate.Value.TenantId, cancellationToken);
        if (tenant.Status == TenantStatus.Cancelled)
            return Error.Conflict("This workspace is cancelled; choose a plan again before buying credits.");
        if (!await CreditPurchases.AllowedAsync(entitlements, tenant.Id, cancellationToken))
            return Error.Conflict(CreditPurchases.NotIncluded(tenant.Tier));
        var now = time.GetUtcNow();

        if (gateway.UsesStripe(tenant))
        {
            var customer = tenant.StripeCustomerId;
            var checkout = await gateway.StartCreditPurchaseAsync(tenant, amountCents, returnUrl, cancellationToken);
            if (tenant.StripeCustomerId != customer)
                await SaveCustomerAsync(db, cancellationToken);
            if (!checkout.IsSuccess)
            {
                logger.LogWarning("Credit purchase could not start Checkout: {Code} {Message}", checkout.Error.Code, checkout.Error.Message);
                return checkout.Error;
            }
            return new CreditPurchaseOutcome(amountCents, null, checkout.Value,
                $"Continue on Stripe's secure Checkout page; {Money.Format(amountCents)} of credits are added once the payment is confirmed.");
        }

        var grant = CreditGrant.Create(tenant.Id, CreditSource.Purchase, amountCents, CreditRules.DefaultPriority(CreditSource.Purchase), null,
            "Bought on the Billing tab (ledger)", actor.Display, now);
        if (!grant.IsSuccess)
            return grant.Error;
        db.CreditGrants.Add(grant.Value);
        audit.Record(db, tenant.Id, actor, AuditActions.CreditsPurchased, $"credit-grant:{grant.Value.Id}",
            $"{Money.Format(amountCents)} of credits bought on the ledger (priority {grant.Value.Priority}, no expiry)");
        await db.SaveChangesAsync(cancellationToken);
        await alerts.EvaluateAsync(tenant.Id, cancellationToken);
        return new CreditPurchaseOutcome(amountCents, grant.Value.Id, null, $"{Money.Format(amountCents)} of credits added to your balance.");
    }

    /// <summary>Sets (or clears, with null) the low-balance alert threshold (Owner). Checked at once, then on every change of the balance.</summary>
    public async Task<Result> SetLowBalanceThresholdAsync(Actor actor, long? thresholdCents, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageSubscription, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var tenantId = gate.Value.TenantId;
        var account = await db.CreditAccounts.SingleOrDefaultAsync(a => a.TenantId == tenantId, cancellationToken);
        if (account is null)
        {
            account = new CreditAccount { TenantId = tenantId };
            db.CreditAccounts.Add(account);
        }
        var before = account.LowBalanceThresholdCents;
        var set = account.SetThreshold(thresholdCents, time.GetUtcNow());
        if (!set.IsSuccess)
            return set;
        audit.Record(db, tenantId, actor, AuditActions.CreditsThresholdChanged, "credits",
            $"Low-balance alert {Describe(before)} → {Describe(thresholdCents)}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || DbErrors.IsUniqueViolation(ex))
        {
            return new Error(ErrorCodes.ConcurrencyConflict, "The credit settings changed meanwhile. Reload and try again.");
        }
        await alerts.EvaluateAsync(tenantId, cancellationToken);
        return Result.Success();
    }

    private static string Describe(long? cents) => cents is { } c ? string.Create(CultureInfo.InvariantCulture, $"below {Money.Format(c)}") : "off";

    // A Stripe customer created for the Checkout is kept even when the call then failed, so a retry reuses it.
    private async Task SaveCustomerAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            logger.LogWarning(ex, "The Stripe customer created for a credit purchase could not be saved; the next attempt creates it again by the same idempotency key");
        }
    }
}
