namespace TenantPortal.Benchmarks.Load;

/// <summary>Collects latencies from many threads and answers percentiles (nearest rank over every sample kept).</summary>
public sealed class LatencyRecorder
{
    private readonly List<double> _milliseconds = [];

    /// <summary>How many samples were recorded.</summary>
    public int Count
    {
        get { lock (_milliseconds) return _milliseconds.Count; }
    }

    /// <summary>Adds one sample.</summary>
    public void Add(TimeSpan elapsed)
    {
        lock (_milliseconds)
            _milliseconds.Add(elapsed.TotalMilliseconds);
    }

    /// <summary>Adds every sample of <paramref name="other"/> (e.g. the rounds of one measurement).</summary>
    public void Add(LatencyRecorder other)
    {
        double[] samples;
        lock (other._milliseconds)
            samples = [.. other._milliseconds];
        lock (_milliseconds)
            _milliseconds.AddRange(samples);
    }

    /// <summary>The <paramref name="percentile"/> (0–100) in milliseconds; 0 without samples.</summary>
    public double Percentile(double percentile)
    {
        double[] sorted;
        lock (_milliseconds)
            sorted = [.. _milliseconds];
        if (sorted.Length == 0)
            return 0;
        Array.Sort(sorted);
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
