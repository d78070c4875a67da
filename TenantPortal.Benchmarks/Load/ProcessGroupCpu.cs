using System.Globalization;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// The CPU time used so far by every process of one program on this machine, by its name (Linux <c>/proc/*/comm</c>,
/// e.g. <c>redis-server</c> or <c>postgres</c>, whose backends are processes of their own): what the servers a scenario
/// calls spend on it. Servers shared with other work count that work too.
/// </summary>
public static class ProcessGroupCpu
{
    /// <summary>The CPU time of the processes named <paramref name="comm"/>; null where <c>/proc</c> can't tell.</summary>
    public static TimeSpan? Of(string comm)
    {
        if (!Directory.Exists("/proc/self"))
            return null;
        var ticks = 0L;
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out _))
                continue;
            try
            {
                if (File.ReadAllText(Path.Combine(folder, "comm")).Trim() != comm)
                    continue;
                // utime and stime: the 14th and 15th fields, after the parenthesized name.
                var fields = File.ReadAllText(Path.Combine(folder, "stat")).Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process ended meanwhile.
            }
        }
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ: 100 on Linux
    }
}
