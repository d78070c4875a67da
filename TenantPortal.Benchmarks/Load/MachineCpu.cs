namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// How busy the whole machine's CPUs were between two readings (Linux <c>/proc/stat</c>: every process counts, the other
/// engineers' too): near 100 % a latency is mostly waiting for a core, whatever the code under test costs.
/// </summary>
public readonly record struct MachineCpu(long Busy, long Total)
{
    /// <summary>The counters now (zero where <c>/proc/stat</c> can't be read).</summary>
    public static MachineCpu Now()
    {
        try
        {
            // cpu  user nice system idle iowait irq softirq steal ...
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
            var idle = fields[3] + (fields.Length > 4 ? fields[4] : 0);
            var total = fields.Take(Math.Min(fields.Length, 8)).Sum();
            return new MachineCpu(total - idle, total);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or InvalidOperationException)
        {
            return default;
        }
    }

    /// <summary>The share of CPU time that was busy since <paramref name="earlier"/>, 0–1 (0 when unknown).</summary>
    public double BusySince(MachineCpu earlier) => Total - earlier.Total <= 0 ? 0 : (double)(Busy - earlier.Busy) / (Total - earlier.Total);
}
