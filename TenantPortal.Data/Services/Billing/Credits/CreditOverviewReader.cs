using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Billing.Credits;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Billing.Credits;

/// <summary>
/// Reads a tenant's credit overview in a context working for it: the balance now, the running period's use so far from the
/// same upcoming invoice the Billing tab previews (<see cref="InvoiceBuilder"/>), its daily burn and the run-out date.
/// </summary>
internal static class CreditOverviewReader
{
    /// <summary>At most this many consumption records are listed (newest first).</summary>
    public const int ConsumptionShown = 200;

    public static async Task<CreditOverview> ReadAsync(PortalDbContext db, Tenant tenant, IPaymentGateway gateway, DateTimeOffset now, bool canManage, bool purchasable,
        CancellationToken cancellationToken)
    {
        var grants = await db.CreditGrants.AsNoTracking().Where(g => g.TenantId == tenant.Id).ToListAsync(cancellationToken);
        var consumption = await db.CreditConsumptions.AsNoTracking().Where(c => c.TenantId == tenant.Id)
            .OrderByDescending(c => c.At).ThenBy(c => c.InvoiceNumber).Take(ConsumptionShown)
            .Select(c => new CreditConsumptionRow(c.InvoiceNumber, c.GrantId, c.AmountCents, c.At)).ToListAsync(cancellationToken);
        var account = await db.CreditAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.TenantId == tenant.Id, cancellationToken);
        var balance = CreditAllocator.Balance(grants, now);

        var periodStart = PeriodMath.MonthStart(now);
        var upcoming = await InvoiceBuilder.BuildAsync(db, tenant, periodStart, now, now,
            gateway.IsExternal ? tenant.BaseBilledInStripeFrom : null, cancellationToken);
        var use = CreditAllocator.Allocate(upcoming, grants, now).TotalCents;
        var usage = upcoming.Lines.Where(l => l.Kind == InvoiceLineKind.Overage).Sum(l => l.AmountCents);
        var fixedCharges = upcoming.Lines.Where(l => l.Kind is InvoiceLineKind.Base or InvoiceLineKind.Adjustment).Sum(l => l.AmountCents);
        var burn = CreditRunway.DailyBurnCents(fixedCharges, usage, upcoming.PeriodStart, upcoming.PeriodEnd, now);
        var runOut = CreditRunway.RunOutAt(balance, use, burn, upcoming.PeriodStart, now);

        return new CreditOverview(balance, "usd", use, Math.Round(burn, 2, MidpointRounding.AwayFromZero), runOut, account?.LowBalanceThresholdCents,
            grants.OrderByDescending(g => g.CreatedAt).ThenBy(g => g.Id).Select(g => CreditGrantRow.From(g, now)).ToList(),
            consumption, canManage, gateway.UsesStripe(tenant), purchasable);
    }
}
