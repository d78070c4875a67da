using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;
using Perfolizer.Mathematics.OutlierDetection;
using TenantPortal.Benchmarks.Infrastructure;

namespace TenantPortal.Benchmarks;

/// <summary>
/// The suite's configuration. Each iteration is one call (a 500-event batch, a quota check): both take milliseconds
/// or close to it, so one call is measured accurately, and the percentiles of the iterations are the percentiles of
/// single calls, which is what a latency target speaks of. In process: no generated project is built per benchmark.
/// </summary>
public static class BenchmarkConfig
{
    /// <summary>The flag that selects the short job.</summary>
    public const string QuickFlag = "--quick";

    /// <summary>Whether the run is the short one (benchmarks run in process, so their set-ups can size data by it).</summary>
    public static bool Quick { get; private set; }

    /// <summary>The configuration; <paramref name="quick"/> takes 30 calls per benchmark instead of 200.</summary>
    public static IConfig Create(bool quick)
    {
        Quick = quick;
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(quick ? 3 : 10)
            .WithIterationCount(quick ? 30 : 200)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            // Slow calls are what a p99 is about: keep them in the statistics.
            .WithOutlierMode(OutlierMode.DontRemove)
            .WithId(quick ? "Quick" : "Full");
        return DefaultConfig.Instance
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(StatisticColumn.Min, StatisticColumn.Median, StatisticColumn.P95, new PercentileColumn(99), StatisticColumn.Max)
            .WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(TimeUnit.Microsecond))
            // One table for the suite.
            .WithOptions(ConfigOptions.JoinSummary);
    }
}
