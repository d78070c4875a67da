using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// Test arrangement for fixtures whose tenant keeps its id (its members and data hang off it): the stored tenant takes
/// over the lifecycle fields of another tenant — one built through the real transitions (<c>TenantBuilder</c>), or a
/// snapshot taken earlier — so it holds only states a tenant can reach. Nothing else (name, slug, settings) changes.
/// </summary>
public static class TenantLifecycleCopy
{
    private static readonly string[] LifecycleFields =
    [
        nameof(Tenant.Tier), nameof(Tenant.Status), nameof(Tenant.SuspensionReason), nameof(Tenant.BillingCycle),
        nameof(Tenant.StripeCustomerId), nameof(Tenant.StripeSubscriptionId), nameof(Tenant.TrialEndsAt), nameof(Tenant.SubscriptionStartedAt),
        nameof(Tenant.CurrentPeriodEndsAt), nameof(Tenant.CancelAtPeriodEnd), nameof(Tenant.PendingTier), nameof(Tenant.PendingCycle),
        nameof(Tenant.PendingChangeAt), nameof(Tenant.TrialReminderSentAt), nameof(Tenant.StripeStateAt), nameof(Tenant.PastDueSince),
        nameof(Tenant.SuspendedAt),
    ];

    /// <summary>Gives the stored tenant <paramref name="tenantId"/> the lifecycle of <paramref name="source"/> and saves it.</summary>
    public static async Task CopyAsync(PortalDbContext db, Guid tenantId, Tenant source)
    {
        var stored = await db.Tenants.SingleAsync(t => t.Id == tenantId);
        var target = db.Entry(stored);
        var from = db.Entry(source);
        foreach (var field in LifecycleFields)
            target.Property(field).CurrentValue = from.Property(field).CurrentValue;
        stored.ConcurrencyStamp = Guid.NewGuid();
        await db.SaveChangesAsync();
    }
}
