using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace TenantPortal.Benchmarks.Infrastructure;

/// <summary>
/// A percentile of the iteration times that <see cref="StatisticColumn"/> lacks (it stops at P95, then P100), in
/// microseconds like the rest of the table (see <see cref="BenchmarkConfig"/>).
/// </summary>
internal sealed class PercentileColumn(int percentile) : IColumn
{
    public string Id => $"{nameof(PercentileColumn)}.P{percentile}";

    public string ColumnName => $"P{percentile}";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Statistics;

    public int PriorityInCategory => percentile;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Time;

    public string Legend => $"{percentile}th percentile of the iteration times (µs)";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        if (statistics is null)
            return "NA";
        var nanoseconds = statistics.Percentiles.Percentile(percentile);
        return (nanoseconds / 1_000).ToString("N1", style.CultureInfo) + (style.PrintUnitsInContent ? " μs" : "");
    }

    public override string ToString() => ColumnName;
}
