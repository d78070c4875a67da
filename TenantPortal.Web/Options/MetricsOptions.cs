namespace TenantPortal.Web.Options;

/// <summary>The <c>Metrics</c> section.</summary>
public sealed class MetricsOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Metrics";

    /// <summary>A bearer token that lets a remote Prometheus scrape <c>/metrics</c>; empty = loopback and operators only.</summary>
    public string? ScrapeToken { get; set; }
}
