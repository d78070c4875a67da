using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Common;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Audit;

namespace TenantPortal.Data.Services.Metering.Corrections;

/// <summary>
/// Applies and reverts usage corrections for <see cref="UsageCorrectionService"/>, once the caller's access is checked.
/// <list type="bullet">
/// <item>The effect is carried by compensating events appended to <c>UsageEvents</c> in the same transaction as the
/// correction record, its lines, its event locks and its audit entry: a void of an event counted q appends -q at the same
/// metric and time, an amend to x appends x - q, a backfill appends the new event itself; a revert appends the opposite
/// of each. Originals are never changed. Rollups, quota totals, the Usage tab and invoices follow as for an ingest.</item>
/// <item>The transaction enters the <see cref="IUsageCommitBarrier"/> before its first insert, as the event stores do, so
/// the rollup's watermark never passes an id it may still commit.</item>
/// <item>One active correction per event: the lock table's key (tenant, event) refuses a second one, even a concurrent one
/// (409 naming the event and the correction holding it); a revert deletes the locks. The same correction id again
/// (unique per tenant) is answered with the first result, or 409 when its body differs.</item>
/// <item>After the commit, what ingestion tells is told (<see cref="IUsageIngestObserver"/>s, and under Redis the
/// tenant-months' shared totals are dropped, to be rebuilt from the database by the next check), then every
/// <see cref="IUsageCorrectionObserver"/>; an observer's failure is logged and never undoes the correction.</item>
/// </list>
/// </summary>
public sealed class UsageCorrectionWriter(
    IUsageCommitBarrier barrier,
    IEnumerable<IUsageIngestObserver> ingestObservers,
    IEnumerable<IUsageCorrectionObserver> correctionObservers,
    AuditWriter audit,
    TimeProvider time,
    ILogger<UsageCorrectionWriter> logger,
    RedisQuotaTotals? sharedTotals = null)
{
    /// <summary>The answer for a correction id the tenant doesn't have (never echoing the id).</summary>
    internal static readonly Error UnknownCorrection = Error.NotFound("That correction was not found.");

    private sealed record Target(long Id, string ClientEventId, UsageMetric Metric, decimal Quantity, DateTimeOffset Timestamp);

    /// <summary>Applies a checked request (<see cref="UsageCorrectionRules.Check"/>) to the tenant's usage.</summary>
    internal async Task<Result<UsageCorrectionOutcome>> ApplyAsync(PortalDbContext db, Guid tenantId, Actor actor, UsageCorrectionRequest request,
        CancellationToken cancellationToken)
    {
        var fingerprint = UsageCorrectionRules.Fingerprint(request);
        if (await ReplayAsync(db, tenantId, request.Id, fingerprint, cancellationToken) is { } replay)
            return replay;

        var lines = await CheckEventsAsync(db, tenantId, request, cancellationToken);
        if (!lines.IsSuccess)
        {
            // A concurrent retry of this very correction may have committed between the replay check and the events'
            // check: its locks then hold the events, and the answer is its result, not a conflict.
            return await ReplayAsync(db, tenantId, request.Id, fingerprint, cancellationToken) is { } committedMeanwhile
                ? committedMeanwhile
                : lines.Error!;
        }

        var now = time.GetUtcNow();
        UsageCorrection correction;
        List<UsageEvent> appended;
        try
        {
            (correction, appended) = await db.InTransactionAsync(async (transaction, ct) =>
            {
                await barrier.EnterIngestAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction(), ct);
                var added = new List<UsageEvent>();
                // Backfilled events first: their lines and locks need their ids.
                var backfills = new Dictionary<int, UsageEvent>();
                for (var i = 0; i < request.Events.Count; i++)
                {
                    var item = request.Events[i];
                    if (item.Action != UsageCorrectionAction.Backfill)
                        continue;
                    var e = new UsageEvent
                    {
                        TenantId = tenantId, ClientEventId = item.EventId, Metric = item.Metric!.Value, Quantity = item.Quantity!.Value,
                        Timestamp = item.Timestamp!.Value.ToUniversalTime(), ReceivedAt = now,
                    };
                    backfills[i] = e;
                    db.UsageEvents.Add(e);
                    added.Add(e);
                }
                if (backfills.Count > 0)
                    await db.SaveChangesAsync(ct);

                var created = new UsageCorrection
                {
                    TenantId = tenantId, CorrectionId = request.Id, Reason = request.Reason, RequestHash = fingerprint,
                    CreatedByUserId = actor.UserId, CreatedByApiKeyId = actor.ApiKey?.KeyId, CreatedBy = Shorten(actor.Display), CreatedAt = now,
                };
                for (var i = 0; i < lines.Value.Count; i++)
                {
                    var planned = lines.Value[i];
                    created.Lines.Add(new UsageCorrectionLine
                    {
                        TenantId = tenantId, UsageEventId = backfills.TryGetValue(i, out var b) ? b.Id : planned.UsageEventId,
                        ClientEventId = planned.ClientEventId, Action = planned.Action, Metric = planned.Metric, Timestamp = planned.Timestamp,
                        QuantityBefore = planned.QuantityBefore, QuantityAfter = planned.QuantityAfter, Delta = planned.Delta,
                    });
                }
                db.UsageCorrections.Add(created);
                await db.SaveChangesAsync(ct);

                // Locks in event order, so two corrections sharing events take them in the same order (no deadlock).
                foreach (var line in created.Lines.OrderBy(l => l.UsageEventId))
                    db.UsageEventLocks.Add(new UsageEventLock { TenantId = tenantId, UsageEventId = line.UsageEventId, CorrectionRowId = created.Id });
                foreach (var line in created.Lines.Where(l => l.Action != UsageCorrectionAction.Backfill && l.Delta != 0))
                {
                    var e = new UsageEvent
                    {
                        TenantId = tenantId, ClientEventId = UsageCorrectionRules.CompensatingId(created.Id, line.UsageEventId, revert: false),
                        Metric = line.Metric, Quantity = line.Delta, Timestamp = line.Timestamp, ReceivedAt = now,
                    };
                    db.UsageEvents.Add(e);
                    added.Add(e);
                }
                audit.Record(db, tenantId, actor, AuditActions.UsageCorrectionCreated, $"correction:{request.Id}", Describe(created.Lines, request.Reason));
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return (created, added);
            }, cancellationToken);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            db.ChangeTracker.Clear();
            // Another request got there first: the same correction id (a concurrent retry), an event now held by another
            // correction, or a backfilled id now reported. Nothing of this one was applied.
            if (await ReplayAsync(db, tenantId, request.Id, fingerprint, cancellationToken) is { } raced)
                return raced;
            var again = await CheckEventsAsync(db, tenantId, request, cancellationToken);
            return again.IsSuccess
                ? Error.Conflict("Another correction changed these events meanwhile; read them again and retry.")
                : again.Error!;
        }

        await TellAsync(tenantId, appended, correction.CorrectionId, reverted: false, correction.Reason,
            correction.Lines.Select(l => new UsageQuantityChange(l.Metric, l.Timestamp, l.Delta)).ToList(), now);
        return new UsageCorrectionOutcome(UsageCorrectionView.From(correction), Created: true);
    }

    /// <summary>Reverts the tenant's correction: the opposite events are appended and its events' locks released.</summary>
    internal async Task<Result<UsageCorrectionView>> RevertAsync(PortalDbContext db, Guid tenantId, Actor actor, string correctionId, string? reason,
        CancellationToken cancellationToken)
    {
        if (!UsageCorrectionRules.CheckId(correctionId, "id", "The correction id").IsSuccess)
            return UnknownCorrection;
        var correction = await db.UsageCorrections.AsNoTracking().Include(c => c.Lines)
            .SingleOrDefaultAsync(c => c.TenantId == tenantId && c.CorrectionId == correctionId, cancellationToken);
        if (correction is null)
            return UnknownCorrection;
        var stamp = correction.ConcurrencyStamp;
        var now = time.GetUtcNow();
        var reverted = correction.Revert(Shorten(actor.Display), string.IsNullOrWhiteSpace(reason) ? null : reason, now);
        if (!reverted.IsSuccess)
            return reverted.Error!;

        var appended = await db.InTransactionAsync(async (transaction, ct) =>
        {
            await barrier.EnterIngestAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction(), ct);
            // The first write claims the revert: a concurrent one finds the stamp changed and appends nothing.
            var claimed = await db.UsageCorrections.Where(c => c.Id == correction.Id && c.ConcurrencyStamp == stamp)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.RevertedAt, correction.RevertedAt)
                    .SetProperty(c => c.RevertedBy, correction.RevertedBy)
                    .SetProperty(c => c.RevertReason, correction.RevertReason)
                    .SetProperty(c => c.ConcurrencyStamp, correction.ConcurrencyStamp), ct);
            if (claimed == 0)
                return null;
            await db.UsageEventLocks.Where(l => l.TenantId == tenantId && l.CorrectionRowId == correction.Id).ExecuteDeleteAsync(ct);
            var added = new List<UsageEvent>();
            foreach (var line in correction.Lines.Where(l => l.Delta != 0))
            {
                var e = new UsageEvent
                {
                    TenantId = tenantId, ClientEventId = UsageCorrectionRules.CompensatingId(correction.Id, line.UsageEventId, revert: true),
                    Metric = line.Metric, Quantity = -line.Delta, Timestamp = line.Timestamp, ReceivedAt = now,
                };
                db.UsageEvents.Add(e);
                added.Add(e);
            }
            audit.Record(db, tenantId, actor, AuditActions.UsageCorrectionReverted, $"correction:{correction.CorrectionId}",
                reason is null ? $"{correction.Lines.Count} events count as before" : $"{correction.Lines.Count} events count as before; reason: {reason}");
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return added;
        }, cancellationToken);
        if (appended is null)
            return Error.Conflict($"Correction '{correction.CorrectionId}' was already reverted.");

        await TellAsync(tenantId, appended, correction.CorrectionId, reverted: true, reason ?? correction.Reason,
            correction.Lines.Select(l => new UsageQuantityChange(l.Metric, l.Timestamp, -l.Delta)).ToList(), now);
        return UsageCorrectionView.From(correction);
    }

    // The first result of a correction id: the same request again is answered with it; another body is a conflict.
    private static async Task<Result<UsageCorrectionOutcome>?> ReplayAsync(PortalDbContext db, Guid tenantId, string correctionId, string fingerprint,
        CancellationToken cancellationToken)
    {
        var existing = await db.UsageCorrections.AsNoTracking().Include(c => c.Lines)
            .SingleOrDefaultAsync(c => c.TenantId == tenantId && c.CorrectionId == correctionId, cancellationToken);
        if (existing is null)
            return null;
        if (!string.Equals(existing.RequestHash, fingerprint, StringComparison.Ordinal))
            return new Error(ErrorCodes.Conflict, $"Correction id '{correctionId}' was used on {existing.CreatedAt:yyyy-MM-dd HH:mm} UTC for another correction; choose a new id.", "id");
        return new UsageCorrectionOutcome(UsageCorrectionView.From(existing), Created: false);
    }

    // Each item against the tenant's events: what it changes, or the error naming it. Another tenant's event is unknown.
    private static async Task<Result<List<UsageCorrectionLine>>> CheckEventsAsync(PortalDbContext db, Guid tenantId, UsageCorrectionRequest request,
        CancellationToken cancellationToken)
    {
        var named = request.Events.Select(e => e.EventId).ToList();
        var events = await db.UsageEvents.AsNoTracking()
            .Where(e => e.TenantId == tenantId && named.Contains(e.ClientEventId))
            .Select(e => new Target(e.Id, e.ClientEventId, e.Metric, e.Quantity, e.Timestamp))
            .ToListAsync(cancellationToken);
        var byId = events.ToDictionary(e => e.ClientEventId, StringComparer.Ordinal);
        var rowIds = events.Select(e => e.Id).ToList();
        var locks = await db.UsageEventLocks.AsNoTracking()
            .Where(l => l.TenantId == tenantId && rowIds.Contains(l.UsageEventId))
            .Join(db.UsageCorrections, l => l.CorrectionRowId, c => c.Id, (l, c) => new { l.UsageEventId, c.CorrectionId })
            .ToDictionaryAsync(x => x.UsageEventId, x => x.CorrectionId, cancellationToken);
        // Events a correction backfilled: one whose backfill was reverted no longer counts and can't be corrected.
        var backfilled = await db.UsageCorrectionLines.AsNoTracking()
            .Where(l => l.TenantId == tenantId && rowIds.Contains(l.UsageEventId) && l.Action == UsageCorrectionAction.Backfill)
            .Select(l => l.UsageEventId).ToListAsync(cancellationToken);

        var lines = new List<UsageCorrectionLine>(request.Events.Count);
        for (var i = 0; i < request.Events.Count; i++)
        {
            var item = request.Events[i];
            var field = $"events[{i}].eventId";
            byId.TryGetValue(item.EventId, out var target);
            if (item.Action == UsageCorrectionAction.Backfill)
            {
                if (target is not null)
                    return Error.Invalid(field, $"Event '{item.EventId}' exists already: a backfill adds a new event; void or amend that one instead.");
                lines.Add(new UsageCorrectionLine
                {
                    ClientEventId = item.EventId, Action = item.Action, Metric = item.Metric!.Value, Timestamp = item.Timestamp!.Value.ToUniversalTime(),
                    QuantityBefore = 0, QuantityAfter = item.Quantity!.Value, Delta = item.Quantity!.Value,
                });
                continue;
            }
            if (target is null)
                return Error.Invalid(field, $"Event '{item.EventId}' was not found.");
            if (UsageMetrics.Kind(target.Metric) != MetricKind.Counter)
                return Error.Invalid(field, $"Event '{item.EventId}' is a {UsageMetrics.Name(target.Metric)} reading, and {UsageMetrics.Name(target.Metric)} is a level: report a new reading instead.");
            if (locks.TryGetValue(target.Id, out var holder))
                return new Error(ErrorCodes.Conflict, $"Event '{item.EventId}' is changed by correction '{holder}' already; revert it first.", field);
            if (backfilled.Contains(target.Id))
                return Error.Invalid(field, $"Event '{item.EventId}' was backfilled by a correction since reverted: it no longer counts.");
            var after = item.Action == UsageCorrectionAction.Amend ? item.Quantity!.Value : 0m;
            lines.Add(new UsageCorrectionLine
            {
                UsageEventId = target.Id, ClientEventId = target.ClientEventId, Action = item.Action, Metric = target.Metric, Timestamp = target.Timestamp,
                QuantityBefore = target.Quantity, QuantityAfter = after, Delta = after - target.Quantity,
            });
        }
        return lines;
    }

    // What ingestion tells after its commit, then the correction observers; nothing here fails the committed correction.
    private async Task TellAsync(Guid tenantId, List<UsageEvent> appended, string correctionId, bool reverted, string reason,
        IReadOnlyList<UsageQuantityChange> changes, DateTimeOffset now)
    {
        var stored = appended.Select(e => new StoredUsageEvent(e.Id, e.Metric, e.Quantity, e.Timestamp)).ToList();
        if (stored.Count > 0)
        {
            foreach (var observer in ingestObservers)
                observer.Stored(tenantId, stored);
            // The shared totals add only non-negative amounts: the tenant-months' entries are dropped instead, and the
            // next check rebuilds them from the database (which holds the compensating events by now).
            if (sharedTotals is not null)
                await sharedTotals.StoredAsync(tenantId, stored, appended.Select(e => new UsageEventInput(e.ClientEventId, e.Metric, e.Quantity, e.Timestamp)).ToList(),
                    hadStoredDuplicates: true, now);
        }
        var applied = new UsageCorrectionApplied(tenantId, correctionId, reverted, reason, changes);
        foreach (var observer in correctionObservers)
        {
            try
            {
                await observer.CorrectedAsync(applied, CancellationToken.None);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Observer {Observer} failed on correction {CorrectionId} of tenant {TenantId} (reverted: {Reverted}); the correction stays applied.",
                    observer.GetType().Name, correctionId, tenantId, reverted);
            }
        }
    }

    private static string Describe(IReadOnlyCollection<UsageCorrectionLine> lines, string reason)
    {
        var counts = string.Join(", ", lines.GroupBy(l => l.Action).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"));
        return $"{counts}; reason: {reason}";
    }

    private static string Shorten(string display) => display.Length > FieldLengths.ShortText ? display[..FieldLengths.ShortText] : display;
}
