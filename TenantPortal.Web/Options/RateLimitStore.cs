namespace TenantPortal.Web.Options;

/// <summary>Where the API's per-tenant rate limits are counted (<c>RateLimiting:Store</c>).</summary>
public enum RateLimitStore
{
    /// <summary>In each instance's memory: with several instances each enforces its share (<c>RateLimiting:Instances</c>).</summary>
    Memory,

    /// <summary>In Redis (<c>Redis:Configuration</c>): the limit holds across all instances together.</summary>
    Redis,
}
