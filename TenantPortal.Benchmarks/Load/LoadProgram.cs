using System.Diagnostics;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// <c>dotnet run -c Release --project TenantPortal.Benchmarks -- load [--quick] [--provider sqlite|postgresql]
/// [--postgres conn] [--redis conf] [--scenario name]…</c>: runs the load scenarios against the real portal and prints
/// the report (also written to <c>BenchmarkDotNet.Artifacts/load/</c>).
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
        new CorrectionScenario(),
        new InvoicingScenario(),
        new ScaleOutScenario(),
    ];

    /// <summary>The scenarios that run on PostgreSQL (<c>--provider postgresql</c>); the others are SQLite's only for now.</summary>
    public static IReadOnlySet<string> PostgreSqlScenarios { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "startup", "ingest", "rollup", "invoicing", CorrectionScenario.ScenarioName, ScaleOutScenario.ScenarioName };

    /// <summary>
    /// The scenarios that run on PostgreSQL and Redis whatever <c>--provider</c> says (the production topology: three
    /// portals on one server database and one Redis); they use <c>--postgres</c> and <c>--redis</c>. Part of a
    /// <c>--provider postgresql</c> run; a SQLite run (the default, and CI's quick run) takes them only when named with
    /// <c>--scenario</c>: starting three portals twice takes minutes on a busy 2-core machine.
    /// </summary>
    public static IReadOnlySet<string> TopologyScenarios { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ScaleOutScenario.ScenarioName };

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
        var providerText = Option(args, "--provider") ?? "sqlite";
        LoadProvider provider;
        if (string.Equals(providerText, "sqlite", StringComparison.OrdinalIgnoreCase))
            provider = LoadProvider.Sqlite;
        else if (string.Equals(providerText, "postgresql", StringComparison.OrdinalIgnoreCase))
            provider = LoadProvider.PostgreSql;
        else
        {
            Console.Error.WriteLine($"Unknown --provider '{providerText}'. Known: sqlite (default), postgresql.");
            return 2;
        }
        var postgres = Option(args, "--postgres");
        var redis = Option(args, "--redis");
        var topology = chosen.Count == 0 ? provider == LoadProvider.PostgreSql : chosen.Any(TopologyScenarios.Contains);
        if (postgres is not null && provider != LoadProvider.PostgreSql && !topology)
        {
            Console.Error.WriteLine($"--postgres applies to --provider postgresql and to the {string.Join(", ", TopologyScenarios)} scenario (--scenario {string.Join(", ", TopologyScenarios)}) only.");
            return 2;
        }
        if (redis is not null)
        {
            if (!topology)
            {
                Console.Error.WriteLine($"--redis applies to the {string.Join(", ", TopologyScenarios)} scenario only (part of --provider postgresql, or --scenario {string.Join(", ", TopologyScenarios)}).");
                return 2;
            }
            try
            {
                _ = StackExchange.Redis.ConfigurationOptions.Parse(redis);
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine($"--redis is not a StackExchange.Redis configuration (e.g. 127.0.0.1:6379): {ex.Message}");
                return 2;
            }
        }
        if (provider == LoadProvider.PostgreSql)
        {
            var unsupported = chosen.Where(c => !PostgreSqlScenarios.Contains(c)).ToList();
            if (unsupported.Count > 0)
            {
                Console.Error.WriteLine($"Scenario(s) {string.Join(", ", unsupported)} run on SQLite only. On PostgreSQL: {string.Join(", ", PostgreSqlScenarios)}.");
                return 2;
            }
        }
        if (postgres is not null)
        {
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(postgres);
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine($"--postgres is not a PostgreSQL connection string: {ex.Message}");
                return 2;
            }
        }

        string database;
        if (provider == LoadProvider.PostgreSql)
        {
            var described = await DescribePostgreSqlAsync(postgres ?? LoadRun.DefaultPostgreSqlServer);
            if (described is null)
                return 2;
            database = described;
        }
        else
            database = "SQLite (Microsoft.Data.Sqlite), WAL, a file per scenario";

        var folder = Path.Combine(Path.GetTempPath(), $"tenantportal-load-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var run = new LoadRun(quick, folder, provider, postgres, redis) { DatabaseDescription = database };
        var clock = Stopwatch.StartNew();
        var failed = new List<string>();
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        try
        {
            var selected = Scenarios.Where(s => chosen.Count == 0
                ? provider == LoadProvider.PostgreSql || !TopologyScenarios.Contains(s.Name)
                : chosen.Contains(s.Name));
            foreach (var scenario in selected)
            {
                if (provider == LoadProvider.PostgreSql && !PostgreSqlScenarios.Contains(scenario.Name))
                {
                    run.Log($"scenario {scenario.Name}: SQLite only, not run on PostgreSQL");
                    continue;
                }
                var on = TopologyScenarios.Contains(scenario.Name)
                    ? $"PostgreSQL: {LoadServers.Redacted(run.PostgreSqlServer)}; Redis: {LoadServers.RedactedRedis(run.RedisConfiguration)}"
                    : provider == LoadProvider.PostgreSql ? "PostgreSQL: " + LoadServers.Redacted(run.PostgreSqlServer) : "SQLite";
                run.Log($"scenario {scenario.Name} ({(quick ? "quick" : "full")}, {on})");
                try
                {
                    await scenario.RunAsync(run, cancel.Token);
                }
                catch (LoadServerUnavailableException ex)
                {
                    failed.Add(scenario.Name);
                    run.Failed(scenario.Name, ex.Message);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancel.IsCancellationRequested)
                {
                    failed.Add(scenario.Name);
                    run.Failed(scenario.Name, ex.ToString());
                }
            }
        }
        finally
        {
            await run.EndAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }

        var shown = args.Select((a, i) => i > 0 && args[i - 1] == "--postgres" ? $"\"{LoadServers.Redacted(a)}\""
            : i > 0 && args[i - 1] == "--redis" ? $"\"{LoadServers.RedactedRedis(a)}\"" : a);
        var command = "dotnet run -c Release --project TenantPortal.Benchmarks -- load " + string.Join(' ', shown);
        var report = LoadReport.Render(run, clock.Elapsed, command);
        Console.WriteLine(report);
        var reportFolder = Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts", "load");
        Directory.CreateDirectory(reportFolder);
        var reportPath = Path.Combine(reportFolder, $"load-{(provider == LoadProvider.PostgreSql ? "postgresql-" : "")}{(quick ? "quick" : "full")}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.md");
        await File.WriteAllTextAsync(reportPath, report);
        run.Log($"report written to {reportPath}");
        if (failed.Count > 0)
        {
            run.Log($"failed scenario(s): {string.Join(", ", failed)}");
            return 1;
        }
        return 0;
    }

    // The value after --name, if any.
    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    // The server's version and durability settings for the report; null (and a message) when it can't be reached.
    private static async Task<string?> DescribePostgreSqlAsync(string server)
    {
        try
        {
            var (description, fsync) = await LoadServers.DescribePostgreSqlAsync(server);
            if (!fsync)
                Console.Error.WriteLine("Warning: this PostgreSQL server runs with fsync off, so a 202 is not durable there; for figures to report use deploy/bench-postgres.sh up (fsync on, port 55433).");
            return description;
        }
        catch (LoadServerUnavailableException ex)
        {
            Console.Error.WriteLine(ex.Message + " For durable figures: deploy/bench-postgres.sh up (fsync on, port 55433; then --postgres \"Host=127.0.0.1;Port=55433;Username=postgres\").");
            return null;
        }
    }
}
