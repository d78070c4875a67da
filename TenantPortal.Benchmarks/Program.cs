using BenchmarkDotNet.Running;
using TenantPortal.Benchmarks;
using TenantPortal.Benchmarks.Load;

// Load harness:      dotnet run -c Release --project TenantPortal.Benchmarks -- load [--quick] [--scenario name]
// Micro-benchmarks:  dotnet run -c Release --project TenantPortal.Benchmarks -- --filter '*' [--quick]
if (args.Length > 0 && args[0] == LoadProgram.Verb)
    return await LoadProgram.RunAsync(args[1..]);

var quick = args.Contains(BenchmarkConfig.QuickFlag);
var benchmarkArgs = args.Where(a => a != BenchmarkConfig.QuickFlag).ToArray();
BenchmarkSwitcher.FromAssembly(typeof(BenchmarkConfig).Assembly).Run(benchmarkArgs, BenchmarkConfig.Create(quick));
return 0;
