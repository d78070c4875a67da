using System.Text;

namespace TenantPortal.Benchmarks.Load;

/// <summary>The run's report: one Markdown table of every line, the machine it ran on, and the verdict.</summary>
public static class LoadReport
{
    /// <summary>The report as Markdown.</summary>
    public static string Render(LoadRun run, TimeSpan elapsed, string command)
    {
        var text = new StringBuilder();
        text.AppendLine($"# Load harness, {(run.Quick ? "quick" : "full")} run, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine();
        text.AppendLine($"Command: `{command}`  ");
        text.AppendLine($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; run took {elapsed:mm\\:ss}.  ");
        text.AppendLine($"Database: {run.DatabaseDescription}.  ");
        foreach (var server in run.Servers)
            text.AppendLine($"{server}.  ");
        text.AppendLine($"Load average at the end (1, 5, 15 min; other processes on the machine count): {LoadAverage()}.");
        text.AppendLine();
        text.AppendLine("| scenario | size | quantity | measured | target | met |");
        text.AppendLine("|---|---|---|---:|---|---|");
        foreach (var m in run.Measurements)
        {
            var met = m.Met switch { true => "yes", false => "**no**", null => "" };
            var note = m.Note.Length == 0 ? "" : $" ({m.Note})";
            text.AppendLine($"| {m.Scenario} | {m.Size} | {m.Quantity}{note} | {m.Formatted} | {m.Target} | {met} |");
        }
        var missed = run.Measurements.Count(m => m.Met is false);
        text.AppendLine();
        text.AppendLine(missed == 0 ? "Every target measured in this run is met." : $"{missed} target(s) not met in this run.");
        if (run.Failures.Count > 0)
            text.AppendLine($"{run.Failures.Count} scenario(s) failed: the run is not complete.");
        foreach (var (scenario, reason) in run.Failures)
        {
            text.AppendLine();
            text.AppendLine($"**Scenario {scenario} failed** (its lines above, if any, are what it measured before): {reason.Split('\n')[0].Trim()}");
        }
        text.AppendLine();
        text.AppendLine("## Against the references");
        text.AppendLine();
        text.Append(ReferenceComparison.Render(run.Measurements));
        return text.ToString();
    }

    // /proc/loadavg on Linux: a figure taken while the machine was busy with other work says so here.
    private static string LoadAverage()
    {
        try
        {
            return string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown";
        }
    }
}
