using BenchmarkDotNet.Running;
using TenantPortal.Benchmarks;

// dotnet run -c Release --project TenantPortal.Benchmarks -- --filter '*' [--quick]
var quick = args.Contains(BenchmarkConfig.QuickFlag);
var benchmarkArgs = args.Where(a => a != BenchmarkConfig.QuickFlag).ToArray();
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(benchmarkArgs, BenchmarkConfig.Create(quick));
