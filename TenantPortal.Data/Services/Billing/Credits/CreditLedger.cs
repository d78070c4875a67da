using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Billing.Credits;

namespace TenantPortal.Data.Services.Billing.Credits;

/// <summary>
/// Prepaid credits against an invoice, in the context that stores it: the invoicing job applies them (the grants are
/// consumed, the consumption records and the "Credits applied" line added, all saved in the invoice's transaction, so the
/// unique (tenant, period) invoice key and the grants' concurrency token keep a concurrent run from consuming twice); the
/// upcoming-invoice preview and the credit overview only look (<see cref="Preview"/> changes nothing stored).
/// </summary>
internal static class CreditLedger
{
    /// <summary>The tenant's grants that may still pay something (not revoked, something left), tracked for consumption.</summary>
    public static Task<List<CreditGrant>> OpenGrantsAsync(PortalDbContext db, Guid tenantId, bool tracked, CancellationToken cancellationToken)
    {
        var query = db.CreditGrants.Where(g => g.TenantId == tenantId && g.RevokedAt == null && g.RemainingCents > 0);
        return (tracked ? query : query.AsNoTracking()).ToListAsync(cancellationToken);
    }

    /// <summary>Applies the credits usable at <paramref name="at"/> to <paramref name="invoice"/> (not yet saved); saved with it.</summary>
    public static async Task<CreditAllocation> ApplyAsync(PortalDbContext db, Invoice invoice, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var grants = await OpenGrantsAsync(db, invoice.TenantId, tracked: true, cancellationToken);
        if (grants.Count == 0)
            return CreditAllocation.None;
        var allocation = CreditAllocator.Apply(invoice, grants, at);
        db.CreditConsumptions.AddRange(CreditAllocator.Records(invoice, allocation, at));
        return allocation;
    }

    /// <summary>Adds to a preview invoice (never saved) the credit line it would get at <paramref name="at"/>; the grants are read untracked.</summary>
    public static async Task<CreditAllocation> PreviewAsync(PortalDbContext db, Invoice invoice, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var grants = await OpenGrantsAsync(db, invoice.TenantId, tracked: false, cancellationToken);
        return grants.Count == 0 ? CreditAllocation.None : CreditAllocator.Apply(invoice, grants, at);
    }
}
