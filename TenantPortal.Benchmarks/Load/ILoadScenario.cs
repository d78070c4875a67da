namespace TenantPortal.Benchmarks.Load;

/// <summary>A scenario of the load harness: it arranges its own data, measures, and records its lines on the run.</summary>
public interface ILoadScenario
{
    /// <summary>The name used on the command line (<c>--scenario ingest</c>) and in the report.</summary>
    string Name { get; }

    /// <summary>Runs the scenario at the sizes the run asks for (<see cref="LoadRun.Quick"/> takes the small ones).</summary>
    Task RunAsync(LoadRun run, CancellationToken cancellationToken);
}
