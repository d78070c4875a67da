using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Members;

/// <summary>The plan's seat quota (users = current members), checked when an invitation is created and when it is accepted.</summary>
internal static class SeatQuota
{
    public static async Task<Result> CheckRoomForOneMoreAsync(PortalDbContext db, Guid tenantId, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.AsNoTracking().Include(t => t.QuotaOverrides).SingleAsync(t => t.Id == tenantId, cancellationToken);
        var limit = PlanCatalog.EffectiveLimit(tenant.Tier, UsageMetric.Users, tenant.QuotaOverrides);
        if (limit == PlanCatalog.Unlimited)
            return Result.Success();
        var members = await db.Members.CountAsync(m => m.TenantId == tenantId, cancellationToken);
        return members < limit
            ? Result.Success()
            : new Error(ErrorCodes.SeatLimitReached, $"All {limit:0} seats of the {tenant.Tier} plan are taken. Remove a member or upgrade the plan.");
    }
}
