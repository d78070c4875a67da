using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// The in-process aggregation of a SQLite rollup run: the events of an id range are read once with a prepared statement
/// stepped through SQLitePCL (no per-row allocations: tenants and metrics are matched by their text against the few
/// seen before), and summed per (tenant, metric, UTC hour) in a hash table; days and months are summed from the hours.
/// <para>
/// Exact: a quantity whose text is a whole number below 10^11 in size (e.g. <c>"42.0"</c>) is summed as a 64-bit
/// integer (a run of at most <see cref="MaxEvents"/> events stays far below 2^63); any other is parsed as the decimal it
/// is (as Microsoft.Data.Sqlite reads it) and summed as a decimal. A bucket's sum is their decimal sum, written back in
/// the text form EF Core stores decimals in. A gauge bucket keeps its latest reading by (timestamp, id), with the
/// quantity's stored text.
/// </para>
/// </summary>
public sealed class SqliteRollupAggregation
{
    /// <summary>Most events one aggregation reads: the integer sums cannot overflow below it.</summary>
    public const long MaxEvents = 10_000_000;

    /// <summary>The decimal text format of EF Core's SQLite provider (and of its <c>ef_sum</c>/<c>ef_add</c> results), e.g. 1 -> "1.0".</summary>
    public const string DecimalFormat = "0.0###########################";

    private const long TicksPerHour = TimeSpan.TicksPerHour;
    private const long TicksPerDay = TimeSpan.TicksPerDay;
    private const long WholeLimit = 100_000_000_000;

    private const string ReadSql = "SELECT \"TenantId\", \"Metric\", \"Timestamp\", \"Quantity\", \"Id\" FROM \"UsageEvents\" WHERE \"Id\" > ?1 AND \"Id\" <= ?2;";

    private readonly List<string> _tenants = [];
    private readonly Dictionary<string, int> _tenantIndex = new(StringComparer.Ordinal);
    private readonly List<string> _metrics = [];
    private readonly List<bool> _metricIsGauge = [];
    private readonly Dictionary<string, int> _metricIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<long, int> _hourIndex = [];
    private readonly List<RollupBucket> _hours = [];
    private readonly Dictionary<long, long> _firstGaugeReading = [];

    /// <summary>The tenants' ids as stored (text), by index.</summary>
    public IReadOnlyList<string> Tenants => _tenants;

    /// <summary>The metrics as stored (text), by index.</summary>
    public IReadOnlyList<string> Metrics => _metrics;

    /// <summary>Events read.</summary>
    public long Events { get; private set; }

    /// <summary>Reads and sums the events of ids in (<paramref name="fromId"/>, <paramref name="toId"/>] on <paramref name="connection"/> (in its open transaction).</summary>
    public static SqliteRollupAggregation Read(SqliteConnection connection, long fromId, long toId, CancellationToken cancellationToken)
    {
        if (toId - fromId > MaxEvents)
            throw new ArgumentOutOfRangeException(nameof(toId), $"A rollup aggregation reads at most {MaxEvents} events.");
        var aggregation = new SqliteRollupAggregation();
        aggregation.ReadRange(connection, fromId, toId, cancellationToken);
        return aggregation;
    }

    private void ReadRange(SqliteConnection connection, long fromId, long toId, CancellationToken cancellationToken)
    {
        var db = connection.Handle!;
        var rc = raw.sqlite3_prepare_v2(db, ReadSql, out var statement);
        SqliteException.ThrowExceptionForRC(rc, db);
        using (statement)
        {
            SqliteRaw.Check(raw.sqlite3_bind_int64(statement, 1, fromId), db);
            SqliteRaw.Check(raw.sqlite3_bind_int64(statement, 2, toId), db);
            var tenants = _tenantIndex.GetAlternateLookup<ReadOnlySpan<char>>();
            var metrics = _metricIndex.GetAlternateLookup<ReadOnlySpan<char>>();
            Span<char> text = stackalloc char[64];
            while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                if ((++Events & 0xFFFF) == 0)
                    cancellationToken.ThrowIfCancellationRequested();
                var tenant = Intern(raw.sqlite3_column_blob(statement, 0), text, tenants, _tenants, isTenant: true);
                var metric = Intern(raw.sqlite3_column_blob(statement, 1), text, metrics, _metrics, isTenant: false);
                var ticks = raw.sqlite3_column_int64(statement, 2);
                if (ticks < 0)
                    throw new InvalidOperationException($"A usage event's timestamp is not UTC ticks ({ticks}).");
                var key = ((long)tenant << 40) | ((long)metric << 32) | (ticks / TicksPerHour);
                if (!_hourIndex.TryGetValue(key, out var slot))
                {
                    slot = _hours.Count;
                    _hourIndex.Add(key, slot);
                    _hours.Add(new RollupBucket(tenant, metric, ticks / TicksPerHour * TicksPerHour));
                }
                ref var bucket = ref CollectionsMarshal.AsSpan(_hours)[slot];
                bucket.Count++;
                AddQuantity(ref bucket, statement);
                if (_metricIsGauge[metric])
                {
                    var id = raw.sqlite3_column_int64(statement, 4);
                    if (!bucket.HasLatest || ticks > bucket.LatestTicks || (ticks == bucket.LatestTicks && id > bucket.LatestId))
                        (bucket.HasLatest, bucket.LatestTicks, bucket.LatestId, bucket.LatestText) = (true, ticks, id, raw.sqlite3_column_text(statement, 3).utf8_to_string());
                    var pair = ((long)tenant << 8) | (long)metric;
                    if (!_firstGaugeReading.TryGetValue(pair, out var first) || ticks < first)
                        _firstGaugeReading[pair] = ticks;
                }
            }
            if (rc != raw.SQLITE_DONE)
                SqliteException.ThrowExceptionForRC(rc, db);
        }
    }

    // An integer quantity, or text that is exactly a whole number below 10^11 in size, adds to the integer part; any other
    // is parsed as Microsoft.Data.Sqlite's GetDecimal parses it.
    private static void AddQuantity(ref RollupBucket bucket, sqlite3_stmt statement)
    {
        if (raw.sqlite3_column_type(statement, 3) == raw.SQLITE_INTEGER)
        {
            var value = raw.sqlite3_column_int64(statement, 3);
            if (value > -WholeLimit && value < WholeLimit)
                bucket.Whole += value;
            else
                (bucket.Fraction, bucket.HasFraction) = (bucket.Fraction + value, true);
            return;
        }
        var text = raw.sqlite3_column_blob(statement, 3);
        if (TryWhole(text, out var whole))
        {
            bucket.Whole += whole;
            return;
        }
        if (text.IsEmpty && raw.sqlite3_column_type(statement, 3) == raw.SQLITE_NULL)
            throw new InvalidOperationException("A usage event has no quantity.");
        bucket.Fraction += decimal.Parse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
        bucket.HasFraction = true;
    }

    /// <summary>Whether <paramref name="text"/> is a whole number as EF Core writes it (<c>"-12.0"</c>: no leading zeros, no "-0"), below 10^11 in size.</summary>
    public static bool TryWhole(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.Length < 3 || text.Length > 13 || text[^2] != (byte)'.' || text[^1] != (byte)'0')
            return false;
        var digits = text[..^2];
        var negative = digits[0] == (byte)'-';
        if (negative)
            digits = digits[1..];
        if (digits.IsEmpty || (digits[0] == (byte)'0' && (digits.Length > 1 || negative)))
            return false;
        long number = 0;
        foreach (var digit in digits)
        {
            if (digit < (byte)'0' || digit > (byte)'9')
                return false;
            number = number * 10 + (digit - '0');
        }
        value = negative ? -number : number;
        return true;
    }

    // The index of a tenant's or metric's text, added when new (ASCII, as stored, matched without allocating).
    private int Intern(ReadOnlySpan<byte> utf8, Span<char> buffer, Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> lookup, List<string> names, bool isTenant)
    {
        if (utf8.Length <= buffer.Length && Ascii.ToUtf16(utf8, buffer, out var written) == OperationStatus.Done)
        {
            if (lookup.TryGetValue(buffer[..written], out var index))
                return index;
        }
        var name = Encoding.UTF8.GetString(utf8);
        if (lookup.Dictionary.TryGetValue(name, out var existing))
            return existing;
        var added = names.Count;
        if (isTenant && added >= 1 << 23)
            throw new InvalidOperationException("A rollup run reads the events of at most 8,388,608 tenants.");
        if (!isTenant)
        {
            if (added >= 255)
                throw new InvalidOperationException("A rollup run reads at most 255 metrics.");
            _metricIsGauge.Add(Enum.TryParse<UsageMetric>(name, out var metric) && GaugeLevelHours.IsGauge(metric));
        }
        names.Add(name);
        lookup.Dictionary.Add(name, added);
        return added;
    }

    /// <summary>The hour buckets, then the day and month buckets summed from them.</summary>
    public IReadOnlyList<(string Granularity, IReadOnlyList<RollupBucket> Buckets)> Levels()
    {
        var days = Coarser(_hours, ticks => ticks / TicksPerDay * TicksPerDay);
        var months = Coarser(days, ticks =>
        {
            var day = new DateTime(ticks, DateTimeKind.Utc);
            return new DateTime(day.Year, day.Month, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
        });
        return [("Hour", _hours), ("Day", days), ("Month", months)];
    }

    private static List<RollupBucket> Coarser(List<RollupBucket> finer, Func<long, long> bucketOf)
    {
        var index = new Dictionary<(int, int, long), int>();
        var coarser = new List<RollupBucket>();
        foreach (var fine in finer)
        {
            var start = bucketOf(fine.Start);
            if (!index.TryGetValue((fine.Tenant, fine.Metric, start), out var slot))
            {
                slot = coarser.Count;
                index.Add((fine.Tenant, fine.Metric, start), slot);
                coarser.Add(new RollupBucket(fine.Tenant, fine.Metric, start));
            }
            ref var bucket = ref CollectionsMarshal.AsSpan(coarser)[slot];
            bucket.Whole += fine.Whole;
            bucket.Fraction += fine.Fraction;
            bucket.HasFraction |= fine.HasFraction;
            bucket.Count += fine.Count;
            if (fine.HasLatest && (!bucket.HasLatest || fine.LatestTicks > bucket.LatestTicks || (fine.LatestTicks == bucket.LatestTicks && fine.LatestId > bucket.LatestId)))
                (bucket.HasLatest, bucket.LatestTicks, bucket.LatestId, bucket.LatestText) = (true, fine.LatestTicks, fine.LatestId, fine.LatestText);
        }
        return coarser;
    }

    /// <summary>What the events touched: their tenants, and each gauge's earliest new reading.</summary>
    public RollupReport Report()
    {
        var ids = _tenants.Select(t => Guid.Parse(t, CultureInfo.InvariantCulture)).ToList();
        var gauges = _firstGaugeReading
            .Select(g => new GaugeTouch(ids[(int)(g.Key >> 8)], Enum.Parse<UsageMetric>(_metrics[(int)(g.Key & 0xFF)]), new DateTimeOffset(g.Value, TimeSpan.Zero)))
            .ToList();
        return new RollupReport(ids.Distinct().ToList(), gauges);
    }

}

/// <summary>One rollup bucket being summed: a tenant's and metric's (by index) hour, day or month starting at <see cref="Start"/> (UTC ticks).</summary>
public struct RollupBucket(int tenant, int metric, long start)
{
    /// <summary>The tenant's index in the aggregation.</summary>
    public readonly int Tenant = tenant;

    /// <summary>The metric's index in the aggregation.</summary>
    public readonly int Metric = metric;

    /// <summary>The bucket's first instant, in UTC ticks.</summary>
    public readonly long Start = start;

    /// <summary>Sum of the whole quantities.</summary>
    public long Whole;

    /// <summary>Sum of the other quantities.</summary>
    public decimal Fraction;

    /// <summary>Whether any of the other quantities is among them.</summary>
    public bool HasFraction;

    /// <summary>Events in the bucket.</summary>
    public long Count;

    /// <summary>Whether a gauge reading is among them.</summary>
    public bool HasLatest;

    /// <summary>The latest gauge reading's timestamp (UTC ticks).</summary>
    public long LatestTicks;

    /// <summary>The latest gauge reading's id (the tie-break among equal timestamps).</summary>
    public long LatestId;

    /// <summary>The latest gauge reading's quantity, as stored.</summary>
    public string? LatestText;

    /// <summary>The bucket's sum in EF Core's decimal text form.</summary>
    public readonly string SumText() => (Fraction + Whole).ToString(SqliteRollupAggregation.DecimalFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// The bucket's sum in EF Core's decimal text form, as UTF-8 into <paramref name="destination"/> (at least 64 bytes):
    /// a sum of whole numbers only is the integer and ".0" (as <see cref="SumText"/> writes it, without a decimal).
    /// </summary>
    public readonly int FormatSum(Span<byte> destination)
    {
        if (HasFraction || !Whole.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture))
            return System.Text.Encoding.UTF8.GetBytes(SumText(), destination);
        destination[written++] = (byte)'.';
        destination[written++] = (byte)'0';
        return written;
    }
}
