using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Data.Services;

/// <summary>
/// Keeps <see cref="FleetUsageSnapshot"/> equal to the live computation (<see cref="FleetLiveUsage"/>) as of the moment
/// of a refresh. Every fleet read refreshes first; a refresh recomputes, set-based, only the tenants whose figures may
/// have changed since the last one:
/// <list type="bullet">
/// <item>tenants with usage events stored since (the events past the snapshot's own watermark: ingestion, backfills and
/// corrections all store events; a rollup run moves events into rollups without changing rollups + fresh events);</item>
/// <item>tenants a save in this process changed (plan, overrides, members: <see cref="FleetSnapshotChanges"/>);</item>
/// <item>tenants without a row (new ones), rows of another month (period rollover), rows whose pending storage reading
/// has come due, and rows older than <see cref="MaxAge"/> (a change saved by another instance).</item>
/// </list>
/// When nothing changed a refresh costs two indexed reads (its watermark, <c>MAX(Id)</c> of the events), plus, once per
/// <see cref="FleetSnapshotChanges.ScanInterval"/> (on every refresh without a <see cref="FleetSnapshotChanges"/>), two
/// scans of the fleet: tenants without a row, rows due. Refreshes are serialized per process and, across processes, by a
/// compare-and-swap on the <see cref="WatermarkName"/> watermark (a refresh that loses it writes nothing).
/// </summary>
public sealed class FleetSnapshotRefresher(FleetSnapshotChanges? changes = null)
{
    /// <summary>The watermark row holding the highest event id the snapshot covers.</summary>
    public const string WatermarkName = "fleet-snapshot";

    /// <summary>The oldest a row may be before it is recomputed whatever happened.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(15);

    // Past this many tenants (or events to look through) the whole fleet is recomputed in one statement.
    private const int WholeFleetAboveTenants = 2_000;
    private const long WholeFleetAboveEvents = 500_000;

    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>Brings the snapshot up to date with the live data at <paramref name="now"/>; returns the tenants recomputed.</summary>
    public async Task<int> RefreshAsync(PortalDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await Gate.WaitAsync(cancellationToken);
        var pending = changes?.Drain() ?? [];
        var written = false;
        try
        {
            var recomputed = await RefreshCoreAsync(db, pending, now, cancellationToken);
            written = recomputed >= 0;
            return Math.Max(0, recomputed);
        }
        finally
        {
            if (!written && pending.Count > 0)
                changes?.Restore(pending);
            Gate.Release();
        }
    }

    // -1 when another refresher moved the watermark meanwhile (nothing written).
    private async Task<int> RefreshCoreAsync(PortalDbContext db, IReadOnlyCollection<Guid> pending, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var period = PeriodMath.MonthStart(now);
        var stale = now - MaxAge;
        var seen = await db.MeteringWatermarks.AsNoTracking().Where(w => w.Name == WatermarkName)
            .Select(w => new { w.LastEventId, w.UpdatedAt }).FirstOrDefaultAsync(cancellationToken);
        if (seen is null)
            return 0; // no watermark row (the migration seeds it): nothing to compare with, nothing written
        var latest = await db.UsageEvents.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
        // The two scans of the fleet, at most once per ScanInterval in a process that reports its own saves.
        var scan = changes?.TakeScanTurn(now) ?? true;
        var missing = db.Tenants.Where(t => !db.FleetUsageSnapshots.Any(s => s.TenantId == t.Id));
        var anyMissing = scan && await missing.AnyAsync(cancellationToken);
        var due = db.FleetUsageSnapshots.Where(s => s.PeriodStart != period || s.RefreshedAt < stale || s.LevelPendingAt <= now);
        var anyDue = scan && await due.AnyAsync(cancellationToken);
        if (pending.Count == 0 && latest <= seen.LastEventId && !anyMissing && !anyDue)
            return 0;

        // On a server database ids commit out of order: read a MAX(Id) below which every id is committed.
        var barrier = CommitBarrier(db);
        if (latest > seen.LastEventId && !barrier.CommitsInIdOrder)
            latest = await MeteringReads.PastCommitBarrierAsync(db, barrier, ct => db.UsageEvents.MaxAsync(e => (long?)e.Id, ct), cancellationToken) ?? 0;
        latest = Math.Max(latest, seen.LastEventId);

        var whole = !await db.FleetUsageSnapshots.AnyAsync(cancellationToken) || latest - seen.LastEventId > WholeFleetAboveEvents;
        var dirty = new HashSet<Guid>(pending);
        if (!whole)
        {
            dirty.UnionWith(await db.UsageEvents.Where(e => e.Id > seen.LastEventId && e.Id <= latest)
                .Select(e => e.TenantId).Distinct().ToListAsync(cancellationToken));
            if (anyDue)
                dirty.UnionWith(await due.Select(s => s.TenantId).ToListAsync(cancellationToken));
            if (anyMissing)
                dirty.UnionWith(await missing.Select(t => t.Id).ToListAsync(cancellationToken));
            whole = dirty.Count > WholeFleetAboveTenants;
        }
        var ids = dirty.ToList();
        var tenants = whole ? db.Tenants.AsNoTracking() : db.Tenants.AsNoTracking().Where(t => ids.Contains(t.Id));
        var live = await MeteringReads.OneStatementAsync(db, ct => FleetLiveUsage.Query(db, tenants, now).ToListAsync(ct), cancellationToken);

        var moved = await db.InTransactionAsync(async (transaction, ct) =>
        {
            // The watermark row: a write lock on every provider, and a compare-and-swap against a concurrent refresher.
            var taken = await db.MeteringWatermarks
                .Where(w => w.Name == WatermarkName && w.LastEventId == seen.LastEventId && w.UpdatedAt == seen.UpdatedAt)
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.LastEventId, latest).SetProperty(w => w.UpdatedAt, now), ct);
            if (taken == 0)
                return false;
            if (whole)
                await db.FleetUsageSnapshots.ExecuteDeleteAsync(ct);
            else
                await db.FleetUsageSnapshots.Where(s => ids.Contains(s.TenantId)).ExecuteDeleteAsync(ct);
            db.FleetUsageSnapshots.AddRange(live.Select(row => Snapshot(row, period, now)));
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // A tenant deleted since the live read (its row refused by the foreign key): the next refresh redoes it.
                await transaction.RollbackAsync(ct);
                return false;
            }
            await transaction.CommitAsync(ct);
            return true;
        }, cancellationToken);
        db.ChangeTracker.Clear();
        return moved ? live.Count : -1;
    }

    private static FleetUsageSnapshot Snapshot(FleetLiveUsage.Row row, DateTimeOffset period, DateTimeOffset now) => new()
    {
        TenantId = row.TenantId,
        PeriodStart = period,
        Members = row.Members,
        ApiCallsPercent = row.ApiCallsPercent,
        StoragePercent = row.StoragePercent,
        GpuHoursPercent = row.GpuHoursPercent,
        MaxPercent = new[] { row.ApiCallsPercent, row.StoragePercent, row.GpuHoursPercent }.Max(),
        LevelPendingAt = row.LevelPendingAt,
        RefreshedAt = now,
    };

    private static IUsageCommitBarrier CommitBarrier(PortalDbContext db) =>
        db.Database.IsNpgsql() ? new PostgreSqlUsageCommitBarrier()
        : db.Database.IsSqlServer() ? new SqlServerUsageCommitBarrier()
        : new SqliteUsageCommitBarrier();
}
