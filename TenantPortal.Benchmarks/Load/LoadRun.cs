using System.Diagnostics;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// One run of the harness: its mode, a work folder deleted at the end, the lines measured so far, and a progress log
/// (stderr, so the report on stdout stays clean).
/// </summary>
public sealed class LoadRun(bool quick, string workFolder, LoadProvider provider = LoadProvider.Sqlite, string? postgreSqlServer = null, string? redisConfiguration = null)
{
    /// <summary>The tests' PostgreSQL server (deploy/test-servers.sh), used when <c>--postgres</c> is not given.</summary>
    public const string DefaultPostgreSqlServer = "Host=127.0.0.1;Port=55432;Username=postgres";

    /// <summary>The tests' Redis server (deploy/test-servers.sh), used when <c>--redis</c> is not given.</summary>
    public const string DefaultRedisConfiguration = "127.0.0.1:56379";

    private readonly List<Measurement> _measurements = [];
    private readonly List<string> _servers = [];
    private readonly List<(string Scenario, string Reason)> _failures = [];
    private readonly List<Func<Task>> _atEnd = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>The smoke run: small sizes and short durations, the whole run under 2 minutes.</summary>
    public bool Quick { get; } = quick;

    /// <summary>A folder of this run (databases, portal content); deleted when the run ends.</summary>
    public string WorkFolder { get; } = workFolder;

    /// <summary>The database the scenarios run on.</summary>
    public LoadProvider Provider { get; } = provider;

    /// <summary>The PostgreSQL server's connection string (no database named): each scenario creates a database of its own there.</summary>
    public string PostgreSqlServer { get; } = postgreSqlServer ?? DefaultPostgreSqlServer;

    /// <summary>
    /// The Redis server of the scale-out scenario (a StackExchange.Redis configuration). Shared with other work: the
    /// scenario writes only keys naming its own tenants and deletes them at the end (never a flush).
    /// </summary>
    public string RedisConfiguration { get; } = redisConfiguration ?? DefaultRedisConfiguration;

    /// <summary>The database under the portal as the report names it (version and, on PostgreSQL, its durability settings).</summary>
    public string DatabaseDescription { get; init; } = "SQLite";

    /// <summary>Servers a scenario used besides <see cref="DatabaseDescription"/> (e.g. the scale-out topology's), as the report names them.</summary>
    public IReadOnlyList<string> Servers
    {
        get { lock (_servers) return [.. _servers]; }
    }

    /// <summary>Names a server a scenario used, for the report.</summary>
    public void DescribeServer(string description)
    {
        lock (_servers)
            _servers.Add(description);
        Log(description);
    }

    /// <summary>Everything recorded so far, in order.</summary>
    public IReadOnlyList<Measurement> Measurements => _measurements;

    /// <summary>The scenarios that failed, with why (the report names them).</summary>
    public IReadOnlyList<(string Scenario, string Reason)> Failures
    {
        get { lock (_failures) return [.. _failures]; }
    }

    /// <summary>Notes that <paramref name="scenario"/> failed and logs why.</summary>
    public void Failed(string scenario, string reason)
    {
        lock (_failures)
            _failures.Add((scenario, reason));
        Log($"scenario {scenario} failed: {reason}");
    }

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

    /// <summary>Clean-up for the end of the run (e.g. dropping a scenario's PostgreSQL database).</summary>
    public void OnEnd(Func<Task> cleanup)
    {
        lock (_atEnd)
            _atEnd.Add(cleanup);
    }

    /// <summary>Runs the clean-ups, last registered first; a failing one is logged and the others still run.</summary>
    public async Task EndAsync()
    {
        List<Func<Task>> cleanups;
        lock (_atEnd)
        {
            cleanups = [.. _atEnd];
            _atEnd.Clear();
        }
        cleanups.Reverse();
        foreach (var cleanup in cleanups)
        {
            try
            {
                await cleanup();
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or StackExchange.Redis.RedisException or InvalidOperationException or TimeoutException)
            {
                Log($"clean-up failed: {ex.Message}");
            }
        }
    }
}
