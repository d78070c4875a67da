using TenantPortal.Core.Common;
using TenantPortal.Core.Usage;

namespace TenantPortal.Core.Tenants;

/// <summary>An operator's override of one quota of one tenant; -1 means unlimited.</summary>
public class QuotaOverride : ITenantOwned
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>The metric overridden.</summary>
    public UsageMetric Metric { get; set; }

    /// <summary>The limit that replaces the plan's; <see cref="Billing.PlanCatalog.Unlimited"/> for no limit.</summary>
    public decimal Limit { get; set; }

    /// <summary>Why the operator set it (also in the audit log).</summary>
    public string? Reason { get; set; }

    /// <summary>When it was set.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
