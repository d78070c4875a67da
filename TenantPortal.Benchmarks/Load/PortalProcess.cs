using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// The real portal as a child process: <c>TenantPortal.Web.dll</c> of the same build configuration as the harness, in
/// Production mode on the embedded default (a SQLite file of the scenario), on a free loopback port, jobs on, with a
/// Data Protection certificate of its own. The API's rate limit is lifted (the harness measures the portal, not the
/// limiter); everything else is as shipped.
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    /// <summary>The operator the portal bootstraps (login for the /ops scenarios).</summary>
    public const string OperatorEmail = "operator@tenantportal.local";

    /// <summary>The operator's password.</summary>
    public const string OperatorPassword = "Load-Harness-Operator-2026";

    private readonly Process _process;
    private readonly string _logPath;

    private PortalProcess(Process process, Uri baseAddress, string logPath)
    {
        _process = process;
        StartedAt = DateTimeOffset.UtcNow;
        BaseAddress = baseAddress;
        _logPath = logPath;
    }

    /// <summary>Where the portal listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>When the process was started (its recurring jobs first run at the next minute's start).</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>The portal's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The portal's resident memory now, in bytes.</summary>
    public long WorkingSetBytes()
    {
        _process.Refresh();
        return _process.WorkingSet64;
    }

    /// <summary>The CPU time the portal's process has used so far (user and kernel, all threads).</summary>
    public TimeSpan ProcessorTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>
    /// The CPU time the runtime's tiered compiler has used so far in the portal (its background thread, which compiles
    /// the hot methods again, optimized, for a minute or more after the first requests); null where <c>/proc</c> can't tell.
    /// </summary>
    public TimeSpan? CompilerProcessorTime()
    {
        try
        {
            var ticks = 0L;
            foreach (var task in Directory.EnumerateDirectories($"/proc/{_process.Id}/task"))
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).Trim() != ".NET Tiered Com")
                    continue;
                // /proc/<pid>/task/<tid>/stat: utime and stime are the 14th and 15th fields (after the parenthesized name).
                var fields = File.ReadAllText(Path.Combine(task, "stat")).Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                ticks += long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
            }
            return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ: 100 on Linux
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>An HTTP client for the portal: no cookies, loopback, connections reused.</summary>
    public HttpClient CreateClient(int maxConnections = 64) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = maxConnections,
        UseCookies = false,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
    })
    { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(100) };

    /// <summary>
    /// Starts the portal on <paramref name="database"/> and waits until <c>/health/ready</c> answers 200 (on SQLite the
    /// portal migrates a new file on start; on PostgreSQL <c>--migrate-only</c> runs first, as a deployment does, and
    /// installs Hangfire's schema; <paramref name="deploy"/> false skips it, for the further instances of a deployment).
    /// <paramref name="settings"/> are extra configuration keys (<c>Section:Key</c>), applied last; without
    /// <c>DataProtection:Certificate:Path</c> among them the portal gets a certificate of its own in <paramref name="folder"/>.
    /// <paramref name="cpus"/> (a <c>taskset</c> CPU list, e.g. <c>1</c>) pins the portal to those cores from its first
    /// instruction, so the runtime sizes its heaps and thread pool for them (<see cref="CpuPinning"/>).
    /// </summary>
    public static async Task<PortalProcess> StartAsync(LoadDatabase database, string folder, IReadOnlyDictionary<string, string>? settings = null,
        bool deploy = true, string? cpus = null, CancellationToken cancellationToken = default)
    {
        if (database.Provider == LoadProvider.PostgreSql && deploy)
            await MigrateOnlyAsync(database, folder, cancellationToken);
        var webDll = LocateWebDll();
        var port = FreePort();
        var logPath = Path.Combine(folder, "portal.log");
        var start = new ProcessStartInfo(cpus is null ? "dotnet" : CpuPinning.Taskset)
        {
            WorkingDirectory = Path.GetDirectoryName(webDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (cpus is not null)
        {
            // taskset sets the affinity and execs dotnet: the same process id, pinned before the runtime starts.
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(cpus);
            start.ArgumentList.Add("dotnet");
        }
        start.ArgumentList.Add(webDll);
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            // The address the harness calls: plain http on loopback (a local try), the one host the portal then serves.
            ["Portal:PublicUrl"] = $"http://127.0.0.1:{port}",
            ["Demo:Seed"] = "false",
            ["Operator:Email"] = OperatorEmail,
            ["Operator:Password"] = OperatorPassword,
            ["Operator:RequireTwoFactor"] = "false",
            ["RateLimiting:RequestsPerSecond"] = "1000000",
            ["Email:Mode"] = "Pickup",
            ["Email:PickupDirectory"] = Path.Combine(folder, "mail"),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        };
        foreach (var (key, value) in database.PortalSettings())
            environment[key] = value;
        // Production requires the certificate that encrypts the Data Protection keys at rest (instances sharing a key
        // ring share one: the caller passes it).
        if (settings?.ContainsKey(HarnessCertificate.PathKey) != true)
        {
            foreach (var (key, value) in HarnessCertificate.Create(folder))
                environment[key] = value;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            environment[key] = value;
        foreach (var (key, value) in environment)
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var portal = new PortalProcess(process, new Uri($"http://127.0.0.1:{port}/"), logPath);
        using var client = portal.CreateClient();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(3))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The portal exited with code {process.ExitCode}; its log: {logPath}\n{portal.LogTail()}");
            try
            {
                using var response = await client.GetAsync("health/ready", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                    return portal;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200, cancellationToken);
        }
        await portal.DisposeAsync();
        throw new TimeoutException($"The portal was not ready within 3 minutes; its log: {logPath}");
    }

    // The portal's own deployment step on PostgreSQL: migrations (already applied by the harness) and Hangfire's schema.
    private static async Task MigrateOnlyAsync(LoadDatabase database, string folder, CancellationToken cancellationToken)
    {
        var webDll = LocateWebDll();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(webDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(webDll);
        start.ArgumentList.Add("--migrate-only");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in database.PortalSettings())
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"The portal's --migrate-only exited with code {process.ExitCode}:\n{await output}\n{await errors}");
    }

    /// <summary>The last lines the portal wrote.</summary>
    public string LogTail(int lines = 30)
    {
        try
        {
            using var stream = new FileStream(_logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var all = new StreamReader(stream).ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    /// <summary>The portal's entry assembly, built with the harness (same configuration).</summary>
    public static string LocateWebDll()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        // …/TenantPortal.Benchmarks/bin/<Configuration>/<tfm>/
        var tfm = here.Name;
        var configuration = here.Parent!.Name;
        var root = RepositoryRoot();
        var dll = Path.Combine(root, "TenantPortal.Web", "bin", configuration, tfm, "TenantPortal.Web.dll");
        return File.Exists(dll)
            ? dll
            : throw new FileNotFoundException($"TenantPortal.Web.dll not found at {dll}: run the harness with 'dotnet run -c Release --project TenantPortal.Benchmarks -- load', which builds it.");
    }

    /// <summary>The folder holding TenantPortal.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TenantPortal.sln")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException("TenantPortal.sln not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
