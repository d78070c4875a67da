using System.Diagnostics.CodeAnalysis;

namespace TenantPortal.Core.Usage;

/// <summary>Facts about each metric: wire name, display name, unit and how it aggregates.</summary>
public static class UsageMetrics
{
    /// <summary>Every metric, in display order.</summary>
    public static readonly IReadOnlyList<UsageMetric> All =
        [UsageMetric.ApiCalls, UsageMetric.StorageGb, UsageMetric.GpuHours, UsageMetric.Users, UsageMetric.Studies];

    /// <summary>The metrics reported through the usage API (seats are counted from members).</summary>
    public static readonly IReadOnlyList<UsageMetric> Reported =
        [UsageMetric.ApiCalls, UsageMetric.StorageGb, UsageMetric.GpuHours, UsageMetric.Studies];

    /// <summary>The wire name, e.g. <c>api_calls</c>.</summary>
    public static string Name(UsageMetric metric) => metric switch
    {
        UsageMetric.ApiCalls => "api_calls",
        UsageMetric.StorageGb => "storage_gb",
        UsageMetric.GpuHours => "gpu_hours",
        UsageMetric.Users => "users",
        UsageMetric.Studies => "studies",
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, null),
    };

    /// <summary>Parses a wire name (exact, lower-case).</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out UsageMetric? metric)
    {
        metric = name switch
        {
            "api_calls" => UsageMetric.ApiCalls,
            "storage_gb" => UsageMetric.StorageGb,
            "gpu_hours" => UsageMetric.GpuHours,
            "users" => UsageMetric.Users,
            "studies" => UsageMetric.Studies,
            _ => null,
        };
        return metric is not null;
    }

    /// <summary>A label for people.</summary>
    public static string DisplayName(UsageMetric metric) => metric switch
    {
        UsageMetric.ApiCalls => "API calls",
        UsageMetric.StorageGb => "Storage",
        UsageMetric.GpuHours => "GPU hours",
        UsageMetric.Users => "Seats",
        UsageMetric.Studies => "Studies",
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, null),
    };

    /// <summary>The unit shown after a quantity.</summary>
    public static string Unit(UsageMetric metric) => metric switch
    {
        UsageMetric.ApiCalls => "calls",
        UsageMetric.StorageGb => "GB",
        UsageMetric.GpuHours => "h",
        UsageMetric.Users => "seats",
        UsageMetric.Studies => "studies",
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, null),
    };

    /// <summary>How the metric aggregates.</summary>
    public static MetricKind Kind(UsageMetric metric) => metric switch
    {
        UsageMetric.ApiCalls or UsageMetric.GpuHours => MetricKind.Counter,
        UsageMetric.StorageGb or UsageMetric.Studies => MetricKind.Gauge,
        UsageMetric.Users => MetricKind.Seats,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, null),
    };
}
