namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// Several portal processes (<see cref="PortalProcess"/>) on one PostgreSQL database, as a deployment runs them behind a
/// round-robin balancer: the portal's <c>--migrate-only</c> once, then every instance started at once, each with a folder
/// of its own (log, mail) and the same Data Protection certificate (they share the key ring in the database). The
/// harness calls each instance directly; <see cref="Client"/> spreads requests over them round-robin.
/// </summary>
public sealed class PortalCluster : IAsyncDisposable
{
    private readonly List<PortalProcess> _instances;
    private readonly List<HttpClient> _clients;

    private PortalCluster(List<PortalProcess> instances, int maxConnections)
    {
        _instances = instances;
        _clients = instances.Select(i => i.CreateClient(maxConnections)).ToList();
    }

    /// <summary>The instances, in start order.</summary>
    public IReadOnlyList<PortalProcess> Instances => _instances;

    /// <summary>The client of instance <paramref name="index"/> modulo the instance count: request <c>i</c> goes to instance <c>i mod n</c>.</summary>
    public HttpClient Client(long index) => _clients[(int)(index % _clients.Count)];

    /// <summary>The CPU time every instance has used so far, together.</summary>
    public TimeSpan ProcessorTime() => _instances.Aggregate(TimeSpan.Zero, (sum, i) => sum + i.ProcessorTime());

    /// <summary>The CPU time the instances' tiered compilers have used so far, together (null where it can't be read).</summary>
    public TimeSpan? CompilerProcessorTime()
    {
        var times = _instances.Select(i => i.CompilerProcessorTime()).ToList();
        return times.Any(t => t is null) ? null : times.Aggregate(TimeSpan.Zero, (sum, t) => sum + t!.Value);
    }

    /// <summary>The instances' resident memory now, together, in bytes.</summary>
    public long WorkingSetBytes() => _instances.Sum(i => i.WorkingSetBytes());

    /// <summary>
    /// Starts <paramref name="instances"/> portals on <paramref name="database"/> (PostgreSQL) with <paramref name="settings"/>
    /// and waits until each answers <c>/health/ready</c>; one HTTP client per instance of <paramref name="maxConnections"/>.
    /// </summary>
    public static async Task<PortalCluster> StartAsync(LoadDatabase database, string folder, int instances, IReadOnlyDictionary<string, string> settings,
        int maxConnections = 128, CancellationToken cancellationToken = default)
    {
        if (database.Provider != LoadProvider.PostgreSql)
            throw new InvalidOperationException("Several portal instances need a server database: create it on PostgreSQL.");
        var shared = new Dictionary<string, string>(settings);
        foreach (var (key, value) in HarnessCertificate.Create(folder))
            shared[key] = value;
        var folders = Enumerable.Range(0, instances).Select(i => Path.Combine(folder, $"instance-{(char)('a' + i)}")).ToList();
        folders.ForEach(f => Directory.CreateDirectory(f));

        var started = new List<PortalProcess>();
        try
        {
            // The first deploys (migrations, Hangfire's schema), as a deployment's one --migrate-only; the others start together.
            started.Add(await PortalProcess.StartAsync(database, folders[0], shared, deploy: true, cancellationToken: cancellationToken));
            var others = folders.Skip(1).Select(f => PortalProcess.StartAsync(database, f, shared, deploy: false, cancellationToken: cancellationToken)).ToList();
            try
            {
                await Task.WhenAll(others);
            }
            finally
            {
                started.AddRange(others.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result));
            }
        }
        catch
        {
            foreach (var instance in started)
                await instance.DisposeAsync();
            throw;
        }
        return new PortalCluster(started, maxConnections);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
            client.Dispose();
        foreach (var instance in _instances)
            await instance.DisposeAsync();
    }
}
