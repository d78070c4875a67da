using System.Diagnostics;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// The portal's cold start on a fresh database (process start, migrations, operator bootstrap, until
/// <c>/health/ready</c> answers), and its resident memory when idle: the baseline the other scenarios start from.
/// </summary>
public sealed class StartupScenario : ILoadScenario
{
    /// <inheritdoc />
    public string Name => "startup";

    /// <inheritdoc />
    public async Task RunAsync(LoadRun run, CancellationToken cancellationToken)
    {
        var folder = run.NewFolder(Name);
        var database = await LoadDatabase.CreateAsync(run, folder, cancellationToken);
        var clock = Stopwatch.StartNew();
        await using var portal = await PortalProcess.StartAsync(database, folder, cancellationToken: cancellationToken);
        var started = clock.Elapsed;
        run.Record(new Measurement(Name, "empty database", "start until /health/ready", started.TotalSeconds, "s", "informative", null));
        run.Record(new Measurement(Name, "empty database", "resident memory when idle", portal.WorkingSetBytes() / 1_048_576.0, "MiB", "informative", null));
    }
}
