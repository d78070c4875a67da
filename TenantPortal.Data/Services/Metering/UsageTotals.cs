using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// A tenant's running totals for one month, as the quota check reads them: the counters summed over the month's events,
/// and each gauge's latest level at or before the moment asked (any time, as <see cref="UsageMeter.LatestLevelAsync"/>).
/// Readings stamped in the future (within the ingestion's tolerance) wait until their time comes. Not thread-safe: the
/// cache holding it serialises access. <paramref name="seenThroughId"/> is the highest event id of the snapshot the totals
/// were read from: a stored event at or below it is already counted (its ingest committed before the load read), so
/// applying it again is skipped — an ingest's notice may reach the cache after a load that already saw its events.
/// </summary>
internal sealed class UsageTotals(DateTimeOffset monthStart, decimal apiCalls, decimal gpuHours, long seenThroughId = 0)
{
    private readonly DateTimeOffset _monthEnd = monthStart.AddMonths(1);
    private readonly GaugeState _storage = new();
    private readonly GaugeState _studies = new();
    private decimal _apiCalls = apiCalls;
    private decimal _gpuHours = gpuHours;

    /// <summary>The month the counters cover.</summary>
    public DateTimeOffset MonthStart { get; } = monthStart;

    /// <summary>The highest event id of the snapshot the totals were read from (the watermark of a shared entry).</summary>
    public long SeenThroughId => seenThroughId;

    /// <summary>The month's API calls so far.</summary>
    public decimal ApiCalls => _apiCalls;

    /// <summary>The month's GPU hours so far.</summary>
    public decimal GpuHours => _gpuHours;

    /// <summary>A gauge's readings still in the running: the latest one so far and those waiting for their time.</summary>
    public IReadOnlyList<GaugeReading> Readings(UsageMetric gauge) => Gauge(gauge).Readings();

    /// <summary>Adds a gauge reading read from the database or just stored.</summary>
    public void AddReading(UsageMetric gauge, GaugeReading reading) => Gauge(gauge).Add(reading);

    /// <summary>Counts events just stored: counters of this month add up, gauge readings compete for latest.</summary>
    public void Apply(IReadOnlyList<StoredUsageEvent> events)
    {
        foreach (var e in events)
        {
            if (e.Id <= seenThroughId)
                continue;
            switch (e.Metric)
            {
                case UsageMetric.ApiCalls when e.Timestamp >= MonthStart && e.Timestamp < _monthEnd:
                    _apiCalls += e.Quantity;
                    break;
                case UsageMetric.GpuHours when e.Timestamp >= MonthStart && e.Timestamp < _monthEnd:
                    _gpuHours += e.Quantity;
                    break;
                case UsageMetric.StorageGb or UsageMetric.Studies:
                    Gauge(e.Metric).Add(new GaugeReading(e.Timestamp, e.Id, e.Quantity));
                    break;
            }
        }
    }

    /// <summary>The use of <paramref name="metric"/> at <paramref name="now"/> (not seats: they are members).</summary>
    public decimal Used(UsageMetric metric, DateTimeOffset now) => metric switch
    {
        UsageMetric.ApiCalls => _apiCalls,
        UsageMetric.GpuHours => _gpuHours,
        UsageMetric.StorageGb or UsageMetric.Studies => Gauge(metric).LevelAt(now),
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Seats are not kept in the running totals."),
    };

    private GaugeState Gauge(UsageMetric gauge) => gauge switch
    {
        UsageMetric.StorageGb => _storage,
        UsageMetric.Studies => _studies,
        _ => throw new ArgumentOutOfRangeException(nameof(gauge), gauge, "Not a gauge."),
    };

    private sealed class GaugeState
    {
        private GaugeReading? _latest;
        private List<GaugeReading>? _pending;

        public void Add(GaugeReading reading) => (_pending ??= []).Add(reading);

        public IReadOnlyList<GaugeReading> Readings()
        {
            var all = new List<GaugeReading>(_pending ?? []);
            if (_latest is { } latest)
                all.Add(latest);
            return all;
        }

        // Readings whose time has come compete for latest; the rest keep waiting.
        public decimal LevelAt(DateTimeOffset now)
        {
            if (_pending is { Count: > 0 })
            {
                for (var i = _pending.Count - 1; i >= 0; i--)
                {
                    if (_pending[i].Timestamp > now)
                        continue;
                    if (_pending[i].IsLaterThan(_latest))
                        _latest = _pending[i];
                    _pending.RemoveAt(i);
                }
            }
            return _latest?.Quantity ?? 0;
        }
    }
}
