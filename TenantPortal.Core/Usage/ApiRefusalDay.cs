using TenantPortal.Core.Common;

namespace TenantPortal.Core.Usage;

/// <summary>How many API requests of a tenant were refused on one UTC day, and why, so that a tenant can see its own throttling.</summary>
public class ApiRefusalDay : ITenantOwned
{
    /// <summary>Refused by the per-tenant rate limit.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>A quota check answered 429.</summary>
    public const string QuotaDenied = "quota_denied";

    /// <summary>Primary key.</summary>
    public long Id { get; set; }

    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>The UTC day (its first instant).</summary>
    public DateTimeOffset Day { get; set; }

    /// <summary><see cref="RateLimited"/> or <see cref="QuotaDenied"/>.</summary>
    public string Reason { get; set; } = "";

    /// <summary>Requests refused that day for that reason.</summary>
    public long Count { get; set; }
}
