using System.Diagnostics;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// One run of the harness: its mode, a work folder deleted at the end, the lines measured so far, and a progress log
/// (stderr, so the report on stdout stays clean).
/// </summary>
public sealed class LoadRun(bool quick, string workFolder)
{
    private readonly List<Measurement> _measurements = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>The smoke run: small sizes and short durations, the whole run under 2 minutes.</summary>
    public bool Quick { get; } = quick;

    /// <summary>A folder of this run (databases, portal content); deleted when the run ends.</summary>
    public string WorkFolder { get; } = workFolder;

    /// <summary>Everything recorded so far, in order.</summary>
    public IReadOnlyList<Measurement> Measurements => _measurements;

    /// <summary>Adds a line to the report and echoes it to the log.</summary>
    public void Record(Measurement measurement)
    {
        lock (_measurements)
            _measurements.Add(measurement);
        Log($"{measurement.Scenario} [{measurement.Size}] {measurement.Quantity}: {measurement.Formatted} (target {measurement.Target}){(measurement.Met is false ? "  NOT MET" : "")}");
    }

    /// <summary>A progress line with the time since the run started.</summary>
    public void Log(string message) => Console.Error.WriteLine($"[{_clock.Elapsed:mm\\:ss}] {message}");

    /// <summary>A new sub-folder of the work folder.</summary>
    public string NewFolder(string name)
    {
        var path = Path.Combine(WorkFolder, $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
        Directory.CreateDirectory(path);
        return path;
    }
}
