using System.Diagnostics;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// Splits the machine's cores between the load generator and the portal with util-linux's <c>taskset</c>, so client
/// and server stop taking each other's time: the portal gets the last core, the harness the others. Linux only, and
/// only with two cores or more.
/// </summary>
public static class CpuPinning
{
    /// <summary>util-linux's taskset.</summary>
    public const string Taskset = "taskset";

    /// <summary>Whether the machine can be split: Linux, at least two cores, taskset installed.</summary>
    public static bool Available => OperatingSystem.IsLinux() && Environment.ProcessorCount >= 2
        && Environment.GetEnvironmentVariable("PATH")?.Split(':').Any(d => File.Exists(Path.Combine(d, Taskset))) == true;

    /// <summary>The portal's core: the last one.</summary>
    public static string PortalCpus => (Environment.ProcessorCount - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The harness's cores: all but the last.</summary>
    public static string HarnessCpus => Environment.ProcessorCount == 2 ? "0" : $"0-{Environment.ProcessorCount - 2}";

    /// <summary>
    /// Pins every thread of this process to <see cref="HarnessCpus"/> until disposed (threads started meanwhile inherit
    /// it from the thread that starts them); disposing gives the process every core again.
    /// </summary>
    public static IDisposable PinHarness()
    {
        Apply(HarnessCpus);
        return new Restore();
    }

    private static void Apply(string cpus)
    {
        var start = new ProcessStartInfo(Taskset) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-a", "-p", "-c", cpus, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("taskset did not start.");
        var errors = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"taskset -a -p -c {cpus} failed ({process.ExitCode}): {errors}");
    }

    private sealed class Restore : IDisposable
    {
        public void Dispose() => Apply($"0-{Environment.ProcessorCount - 1}");
    }
}
