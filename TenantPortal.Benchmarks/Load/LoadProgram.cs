using System.Diagnostics;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// <c>dotnet run -c Release --project TenantPortal.Benchmarks -- load [--quick] [--scenario name]…</c>: runs the load
/// scenarios against the real portal and prints the report (also written to <c>BenchmarkDotNet.Artifacts/load/</c>).
/// </summary>
public static class LoadProgram
{
    /// <summary>The verb that selects the harness instead of BenchmarkDotNet.</summary>
    public const string Verb = "load";

    /// <summary>Every scenario, in the order a full run takes them.</summary>
    public static IReadOnlyList<ILoadScenario> Scenarios { get; } =
    [
        new StartupScenario(),
        new IngestScenario(),
        new QuotaScenario(),
        new PageRenderScenario(),
        new CircuitScenario(),
        new RollupScenario(),
        new InvoicingScenario(),
    ];

    /// <summary>Runs the harness; the exit code is 0 when every scenario ran (targets missed are reported, not failures).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var chosen = args.Select((a, i) => (a, i)).Where(x => x.a == "--scenario" && x.i + 1 < args.Length).Select(x => args[x.i + 1]).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unknown = chosen.Where(c => Scenarios.All(s => !string.Equals(s.Name, c, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"Unknown scenario(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", Scenarios.Select(s => s.Name))}.");
            return 2;
        }

        var folder = Path.Combine(Path.GetTempPath(), $"tenantportal-load-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var run = new LoadRun(quick, folder);
        var clock = Stopwatch.StartNew();
        var failed = new List<string>();
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        try
        {
            foreach (var scenario in Scenarios.Where(s => chosen.Count == 0 || chosen.Contains(s.Name)))
            {
                run.Log($"scenario {scenario.Name} ({(quick ? "quick" : "full")})");
                try
                {
                    await scenario.RunAsync(run, cancel.Token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancel.IsCancellationRequested)
                {
                    failed.Add(scenario.Name);
                    run.Log($"scenario {scenario.Name} failed: {ex}");
                }
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }

        var command = "dotnet run -c Release --project TenantPortal.Benchmarks -- load " + string.Join(' ', args);
        var report = LoadReport.Render(run, clock.Elapsed, command);
        Console.WriteLine(report);
        var reportFolder = Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts", "load");
        Directory.CreateDirectory(reportFolder);
        var reportPath = Path.Combine(reportFolder, $"load-{(quick ? "quick" : "full")}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.md");
        await File.WriteAllTextAsync(reportPath, report);
        run.Log($"report written to {reportPath}");
        if (failed.Count > 0)
        {
            run.Log($"failed scenario(s): {string.Join(", ", failed)}");
            return 1;
        }
        return 0;
    }
}
