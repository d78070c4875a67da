using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services;

/// <summary>
/// One page of the operators' fleet list: filters (all optional, combined with AND), the sort and the page. Everything
/// is applied in the database.
/// </summary>
public sealed record FleetQuery
{
    /// <summary>The largest page the list returns.</summary>
    public const int MaxTake = 200;

    /// <summary>Part of the name (case-insensitive) or of the slug.</summary>
    public string? Search { get; init; }

    /// <summary>Only tenants on this plan.</summary>
    public SubscriptionTier? Tier { get; init; }

    /// <summary>Only tenants in this state.</summary>
    public TenantStatus? Status { get; init; }

    /// <summary>Only tenants this close to a priced quota.</summary>
    public FleetQuotaState QuotaState { get; init; }

    /// <summary>Only tenants on a trial that ends within 7 days (or has ended and awaits the trial-expiry job).</summary>
    public bool TrialEndingSoon { get; init; }

    /// <summary>Only past-due tenants.</summary>
    public bool PastDue { get; init; }

    /// <summary>The sort column; ties are broken by name, then id, so that pages are stable.</summary>
    public FleetSortColumn SortBy { get; init; } = FleetSortColumn.Name;

    /// <summary>True for descending.</summary>
    public bool Descending { get; init; }

    /// <summary>Rows to skip.</summary>
    public int Skip { get; init; }

    /// <summary>Rows to return, at most <see cref="MaxTake"/>.</summary>
    public int Take { get; init; } = 25;
}
