using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Tenants;

/// <summary>
/// Deletes the data of tenants whose deletion was requested (<see cref="Tenant.RequestDeletion"/>), in batches: the usage
/// events, rollups and refusal days (the tables that grow with use) <see cref="BatchSize"/> rows per statement, each statement
/// its own short transaction, so no statement outlives the command timeout or holds a lock on a whole table; then the tenant
/// row, whose small remainder (members, invitations, keys, invoices, plan history, overrides) cascades. Nothing is held
/// between batches: a deletion stopped midway (the process ends, a statement fails, the request is cancelled) leaves a
/// tenant that is still marked, and so still invisible, and <see cref="ContinuePendingAsync"/> (the <c>tenant-deletion</c>
/// job) finishes it. The audit log keeps its entries (no foreign key).
/// </summary>
public sealed class TenantDeletionService(IDbContextFactory<PortalDbContext> contexts, ILogger<TenantDeletionService> logger)
{
    /// <summary>The name of the query filter that hides tenants being deleted (read past only here).</summary>
    public const string NotDeletedFilter = "NotDeleted";

    /// <summary>Rows deleted per statement: small enough for a short transaction and row locks, large enough to finish.</summary>
    public const int DefaultBatchSize = 10_000;

    /// <summary>Rows deleted per statement.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>Deletes what is left of one tenant whose deletion was requested; nothing when it was not (or is gone already).</summary>
    public async Task ContinueAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        using var _ = db.BeginCrossTenantScope("deleting a tenant's data after its owner deleted it");
        var marked = await db.Tenants.IgnoreQueryFilters([NotDeletedFilter])
            .AnyAsync(t => t.Id == tenantId && t.DeletionRequestedAt != null, cancellationToken);
        if (!marked)
            return;
        var events = await DeleteInBatchesAsync(() => db.UsageEvents.Where(e => e.TenantId == tenantId).OrderBy(e => e.Id), cancellationToken);
        var rollups = await DeleteInBatchesAsync(() => db.UsageRollups.Where(r => r.TenantId == tenantId).OrderBy(r => r.Id), cancellationToken);
        var refusals = await DeleteInBatchesAsync(() => db.ApiRefusalDays.Where(r => r.TenantId == tenantId).OrderBy(r => r.TenantId), cancellationToken);
        // The rest is small and cascades from the tenant row in the database.
        await db.Tenants.IgnoreQueryFilters([NotDeletedFilter])
            .Where(t => t.Id == tenantId && t.DeletionRequestedAt != null)
            .ExecuteDeleteAsync(cancellationToken);
        logger.LogInformation("Deleted tenant {TenantId}: {Events} usage events, {Rollups} rollups, {Refusals} refusal days in batches of {BatchSize}",
            tenantId, events, rollups, refusals, BatchSize);
    }

    /// <summary>Finishes every deletion that was requested and not finished (the <c>tenant-deletion</c> job). Returns how many.</summary>
    public async Task<int> ContinuePendingAsync(CancellationToken cancellationToken)
    {
        List<Guid> pending;
        await using (var db = contexts.CreateDbContext())
        {
            pending = await db.Tenants.IgnoreQueryFilters([NotDeletedFilter]).AsNoTracking()
                .Where(t => t.DeletionRequestedAt != null)
                .OrderBy(t => t.DeletionRequestedAt)
                .Select(t => t.Id)
                .ToListAsync(cancellationToken);
        }
        foreach (var tenantId in pending)
            await ContinueAsync(tenantId, cancellationToken);
        return pending.Count;
    }

    // One statement per batch (EF Core deletes the first BatchSize rows of the ordered query), until a batch finds none left.
    private async Task<long> DeleteInBatchesAsync<T>(Func<IQueryable<T>> rows, CancellationToken cancellationToken)
    {
        long deleted = 0;
        while (true)
        {
            var batch = await rows().Take(BatchSize).ExecuteDeleteAsync(cancellationToken);
            deleted += batch;
            if (batch < BatchSize)
                return deleted;
        }
    }
}
