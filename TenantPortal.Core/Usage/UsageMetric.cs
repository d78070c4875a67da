namespace TenantPortal.Core.Usage;

/// <summary>A metered resource. Its wire name (<see cref="UsageMetrics.Name"/>) is the snake_case name of PRODUCT.md.</summary>
public enum UsageMetric
{
    /// <summary><c>api_calls</c>: counter, per month.</summary>
    ApiCalls = 0,
    /// <summary><c>storage_gb</c>: gauge; billed in GB-months.</summary>
    StorageGb = 1,
    /// <summary><c>gpu_hours</c>: counter, per month.</summary>
    GpuHours = 2,
    /// <summary><c>users</c>: seats, the current members.</summary>
    Users = 3,
    /// <summary><c>studies</c>: gauge.</summary>
    Studies = 4,
}
