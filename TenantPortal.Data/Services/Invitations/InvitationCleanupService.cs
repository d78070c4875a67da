using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Invitations;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Invitations;

/// <summary>
/// The <c>invitation-cleanup</c> job's work: pending invitations past their expiry become Expired (their links were
/// already refused; this keeps the pending lists true). One statement, so running it twice or concurrently is harmless.
/// </summary>
public sealed class InvitationCleanupService(IDbContextFactory<PortalDbContext> contexts, ITenantContext tenantContext, TimeProvider time)
{
    /// <summary>Expires what is due; returns how many invitations expired.</summary>
    public async Task<int> ExpireAsync(CancellationToken cancellationToken)
    {
        using var scope = tenantContext.BeginCrossTenantScope("expiring every tenant's overdue invitations");
        await using var db = contexts.CreateDbContext();
        var now = time.GetUtcNow();
        return await db.Invitations
            .Where(i => i.Status == InvitationStatus.Pending && i.ExpiresAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, InvitationStatus.Expired).SetProperty(i => i.ClosedAt, now), cancellationToken);
    }
}
