using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// The quota check's running totals in Redis (<c>Metering:QuotaCache=Redis</c>), one entry per tenant and month, shared by
/// every instance and exact:
/// <list type="bullet">
/// <item>An entry holds the month's counters, the gauges' readings still in the running (the latest so far and those
/// stamped ahead) and a watermark W, the highest event id its totals include. It is built from the database by the first
/// check that misses it: the build marks the entry as being built, reads the totals and W in one snapshot with the ingest
/// transactions held off (<see cref="IUsageCommitBarrier.CloseAsync"/>), then writes them together with the batches that
/// were added while it read (kept beside the entry), leaving out those the snapshot holds (ids at or below W). So a batch
/// committed around a build is counted once whichever of the two reaches Redis first. Checks that miss the entry while
/// another builds it read the database as <c>QuotaCache=None</c> does, without closing the barrier.</item>
/// <item>After an ingest commits, the events it actually stored (not the duplicates) are added by one script per
/// tenant-month, only to an entry that exists and only when their ids are above its W. Without an entry nothing is added:
/// the next check builds it from the database (after a restart, an eviction or <c>FLUSHALL</c>).</item>
/// <item>A batch with events the database had already (a client's retry) deletes the tenant's entries after its commit,
/// so the next check rebuilds them: this repairs an instance killed between its commit and its add, because the client
/// retries the unacknowledged batch on another instance, which finds the events stored. An add that fails (Redis away or
/// too slow) deletes the entries it may have missed as soon as Redis answers again. Entries live
/// <see cref="EntryLifetime"/> from their build, which bounds any drift left (an instance killed with a client that
/// never retries).</item>
/// <item>The check is one script call (one round trip). With Redis unreachable it answers null, and the caller reads the
/// database; ingestion never fails because of Redis.</item>
/// </list>
/// </summary>
public sealed class RedisQuotaTotals
{
    /// <summary>How long an entry lives after its build: the bound of any drift the repairs above don't catch.</summary>
    public static readonly TimeSpan EntryLifetime = TimeSpan.FromHours(1);

    /// <summary>How long a build may take before another check may start one (its instance may have died).</summary>
    public static readonly TimeSpan BuildLifetime = TimeSpan.FromMinutes(1);

    /// <summary>The prefix of every key in production.</summary>
    public const string DefaultKeyPrefix = "tenantportal:";

    private readonly IConnectionMultiplexer _redis;
    private readonly IDatabase _db;
    private readonly IUsageCommitBarrier _barrier;
    private readonly ILogger<RedisQuotaTotals> _logger;
    // Tenant-months whose entries may have missed an add: deleted once Redis answers again.
    private readonly ConcurrentDictionary<string, byte> _repairs = new();

    /// <summary>The totals under the production key prefix.</summary>
    public RedisQuotaTotals(IConnectionMultiplexer redis, IUsageCommitBarrier barrier, ILogger<RedisQuotaTotals> logger)
        : this(redis, barrier, logger, DefaultKeyPrefix)
    {
    }

    /// <summary>The totals under <paramref name="keyPrefix"/> (tests on a shared server use their own).</summary>
    internal RedisQuotaTotals(IConnectionMultiplexer redis, IUsageCommitBarrier barrier, ILogger<RedisQuotaTotals> logger, string keyPrefix)
    {
        _redis = redis;
        _db = redis.GetDatabase().WithKeyPrefix(keyPrefix);
        _barrier = barrier;
        _logger = logger;
        redis.ConnectionRestored += (_, _) => _ = RepairAsync();
    }

    /// <summary>Whether Redis is connected: when it isn't, checks go straight to the database.</summary>
    public bool IsAvailable => _redis.IsConnected;

    /// <summary>Tenant-months waiting for their entries to be deleted (adds that failed).</summary>
    internal int PendingRepairs => _repairs.Count;

    /// <summary>
    /// The current tenant's use of a counter or gauge in the month of <paramref name="now"/>: one round trip when the entry
    /// exists, else built from the database through <paramref name="contexts"/> (bound to the tenant). Null when Redis can't
    /// answer: the caller reads the database.
    /// </summary>
    internal async Task<decimal?> UsedAsync(IDbContextFactory<PortalDbContext> contexts, Guid tenantId, UsageMetric metric, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (!IsAvailable)
            return null;
        var monthStart = PeriodMath.MonthStart(now);
        var keys = Keys(tenantId, monthStart);
        try
        {
            if (!_repairs.IsEmpty)
                await RepairAsync();
            var (field, gaugeKey) = metric switch
            {
                UsageMetric.ApiCalls => ("api", keys[0]),
                UsageMetric.GpuHours => ("gpu", keys[0]),
                UsageMetric.StorageGb => ("g", keys[1]),
                UsageMetric.Studies => ("g", keys[2]),
                _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Seats are not kept in the running totals."),
            };
            var read = await _db.ScriptEvaluateAsync(RedisQuotaScripts.Check, [keys[0], gaugeKey], [field, Padded(now.UtcTicks)]);
            if (!read.IsNull)
                return decimal.Parse((string)read!, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            return await BuildAsync(contexts, keys, metric, monthStart, now, cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OverflowException)
        {
            _logger.LogWarning(ex, "The quota totals in Redis did not answer; this check reads the database.");
            return null;
        }
    }

    // Builds the entry (see the class comment) and answers from the snapshot read for it.
    private async Task<decimal> BuildAsync(IDbContextFactory<PortalDbContext> contexts, RedisKey[] keys, UsageMetric metric, DateTimeOffset monthStart,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid().ToString("N");
        var begun = (long)await _db.ScriptEvaluateAsync(RedisQuotaScripts.Begin, keys, [token, (long)BuildLifetime.TotalMilliseconds]);
        await using var db = contexts.CreateDbContext();
        if (begun != 1)
        {
            // Another check builds the entry (or just built it): this one reads the database as QuotaCache=None does, right
            // as of its read. Only a build needs the commit barrier (its watermark); the barrier is one for the whole
            // database, so checks waiting on a build that closed it too would queue behind one another and hold off every
            // tenant's ingestion meanwhile.
            return await UsageMeter.UsedAsync(db, metric, monthStart, now, cancellationToken);
        }
        var totals = await UsageMeter.TotalsAsync(db, monthStart, now, _barrier, cancellationToken);
        // Written or not, this check answers from its snapshot, which is right as of its read.
        try
        {
            await _db.ScriptEvaluateAsync(RedisQuotaScripts.Finish, keys, FinishArguments(token, totals, now));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _logger.LogWarning(ex, "A quota totals entry could not be written to Redis; the next check builds it again.");
        }
        return totals.Used(metric, now);
    }

    private static RedisValue[] FinishArguments(string token, UsageTotals totals, DateTimeOffset now)
    {
        var storage = totals.Readings(UsageMetric.StorageGb);
        var studies = totals.Readings(UsageMetric.Studies);
        var arguments = new List<RedisValue>(9 + storage.Count + studies.Count)
        {
            token, (long)EntryLifetime.TotalSeconds, Padded(now.UtcTicks), Padded(totals.SeenThroughId),
            Decimal(totals.ApiCalls), Decimal(totals.GpuHours), storage.Count,
        };
        arguments.AddRange(storage.Select(r => (RedisValue)Member(r.Timestamp, r.Id, r.Quantity)));
        arguments.Add(studies.Count);
        arguments.AddRange(studies.Select(r => (RedisValue)Member(r.Timestamp, r.Id, r.Quantity)));
        return [.. arguments];
    }

    /// <summary>
    /// Counts what an ingestion stored, after its commit: <paramref name="stored"/> are the new events (possibly none),
    /// <paramref name="batch"/> the batch's distinct events; <paramref name="hadStoredDuplicates"/> says that some of them
    /// were in the database already (a retry), which drops the tenant-months' entries instead. Never throws.
    /// </summary>
    public async Task StoredAsync(Guid tenantId, IReadOnlyList<StoredUsageEvent> stored, IReadOnlyList<UsageEventInput> batch, bool hadStoredDuplicates,
        DateTimeOffset now)
    {
        if (stored.Count == 0 && !hadStoredDuplicates)
            return;
        var months = new SortedSet<DateTimeOffset>(GaugeMonths(now));
        foreach (var e in batch)
            months.Add(PeriodMath.MonthStart(e.Timestamp));
        if (!IsAvailable)
        {
            NeedsRepair(tenantId, months);
            return;
        }
        try
        {
            if (!_repairs.IsEmpty)
                await RepairAsync();
            if (hadStoredDuplicates)
            {
                await Task.WhenAll(months.Select(m => _db.KeyDeleteAsync(Keys(tenantId, m))));
                return;
            }
            var nowTicks = Padded(now.UtcTicks);
            var adds = new List<Task<RedisResult>>();
            foreach (var month in months)
            {
                if (Payload(stored, month, now) is { } payload)
                    adds.Add(_db.ScriptEvaluateAsync(RedisQuotaScripts.Add, Keys(tenantId, month), [nowTicks, payload]));
            }
            await Task.WhenAll(adds);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _logger.LogWarning(ex, "Usage of tenant {TenantId} could not be added to the quota totals in Redis; its entries are dropped once Redis answers.", tenantId);
            NeedsRepair(tenantId, months);
        }
    }

    // The events of a batch for one tenant-month's entry: counters stamped in that month, and every gauge reading when the
    // entry is one a check may read now (a level is the latest reading, whenever stamped). Null when none.
    private static string? Payload(IReadOnlyList<StoredUsageEvent> stored, DateTimeOffset month, DateTimeOffset now)
    {
        var takesGauges = GaugeMonths(now).Contains(month);
        long min = long.MaxValue, max = long.MinValue;
        decimal api = 0, gpu = 0;
        var storage = new List<string>();
        var studies = new List<string>();
        foreach (var e in stored)
        {
            switch (e.Metric)
            {
                case UsageMetric.ApiCalls when PeriodMath.MonthStart(e.Timestamp) == month:
                    api += e.Quantity;
                    break;
                case UsageMetric.GpuHours when PeriodMath.MonthStart(e.Timestamp) == month:
                    gpu += e.Quantity;
                    break;
                case UsageMetric.StorageGb when takesGauges:
                    storage.Add(Member(e.Timestamp, e.Id, e.Quantity));
                    break;
                case UsageMetric.Studies when takesGauges:
                    studies.Add(Member(e.Timestamp, e.Id, e.Quantity));
                    break;
                default:
                    continue;
            }
            min = Math.Min(min, e.Id);
            max = Math.Max(max, e.Id);
        }
        if (max == long.MinValue)
            return null;
        return string.Join(' ', [Padded(min), Padded(max), Decimal(api), Decimal(gpu), storage.Count.ToString(CultureInfo.InvariantCulture),
            .. storage, studies.Count.ToString(CultureInfo.InvariantCulture), .. studies]);
    }

    // The months whose entries checks may be reading now, allowing for clocks a little apart around a month's turn.
    private static IEnumerable<DateTimeOffset> GaugeMonths(DateTimeOffset now) =>
        new[] { now - UsageEvent.FutureTolerance, now, now + UsageEvent.FutureTolerance }.Select(PeriodMath.MonthStart).Distinct();

    private void NeedsRepair(Guid tenantId, IEnumerable<DateTimeOffset> months)
    {
        foreach (var month in months)
            _repairs[Base(tenantId, month)] = 0;
    }

    // Deletes the entries that may have missed an add; what fails stays for the next try.
    private async Task RepairAsync()
    {
        foreach (var key in _repairs.Keys)
        {
            try
            {
                await _db.KeyDeleteAsync(KeysOf(key));
                _repairs.TryRemove(key, out _);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                _logger.LogDebug(ex, "Dropping quota totals {Key} in Redis failed; tried again later.", key);
                return;
            }
        }
    }

    private static string Base(Guid tenantId, DateTimeOffset month) =>
        string.Create(CultureInfo.InvariantCulture, $"quota:{{{tenantId:N}:{month:yyyyMM}}}");

    private static RedisKey[] KeysOf(string entry) => [entry, entry + ":storage_gb", entry + ":studies", entry + ":pending"];

    /// <summary>The four keys of a tenant-month: the entry, the storage and studies readings, the batches pending a build.</summary>
    internal static RedisKey[] Keys(Guid tenantId, DateTimeOffset month) => KeysOf(Base(tenantId, month));

    private static string Padded(long value) => value.ToString("D19", CultureInfo.InvariantCulture);

    private static string Decimal(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Member(DateTimeOffset timestamp, long id, decimal quantity) =>
        $"{Padded(timestamp.UtcTicks)}:{Padded(id)}:{Decimal(quantity)}";
}
