using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Options;

namespace TenantPortal.Web.Options;

/// <summary>The <c>RateLimiting</c> section: API requests per second per tenant, with optional limits per tier.</summary>
public sealed class RateLimitingOptions : IValidatableObject
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "RateLimiting";

    /// <summary>Requests per second a tenant may make to <c>/api/v1</c>.</summary>
    [Range(1, 1_000_000, ErrorMessage = "RateLimiting:RequestsPerSecond must be between 1 and 1,000,000.")]
    public int RequestsPerSecond { get; set; } = 200;

    /// <summary>Per-tier overrides, e.g. <c>RateLimiting:Tiers:Free = 20</c>.</summary>
    public Dictionary<string, int> Tiers { get; set; } = [];

    /// <summary>
    /// How many instances share the API behind a round-robin load balancer; each enforces its share of a tenant's
    /// limit, rounded up (limits are kept in each instance's memory). 1, the default, enforces the whole limit.
    /// </summary>
    [Range(1, 1_000, ErrorMessage = "RateLimiting:Instances must be between 1 and 1,000.")]
    public int Instances { get; set; } = 1;

    /// <summary>
    /// <c>RateLimiting:Store</c>: <see cref="RateLimitStore.Memory"/> (default) counts in each instance's memory;
    /// <see cref="RateLimitStore.Redis"/> counts in Redis, so that a tenant's limit holds across all instances together
    /// (needs <c>Redis:Configuration</c>; while Redis is unreachable each instance enforces its share again).
    /// </summary>
    public RateLimitStore Store { get; set; } = RateLimitStore.Memory;

    /// <summary>
    /// Reads <c>RateLimiting:Store</c> when services are added (it decides what is registered); an unknown value, or Redis
    /// without <c>Redis:Configuration</c>, throws <see cref="InvalidSettingException"/> naming the key.
    /// </summary>
    public static RateLimitStore ReadStore(IConfiguration configuration, RedisOptions redis)
    {
        var text = configuration[$"{SectionName}:Store"];
        if (string.IsNullOrWhiteSpace(text))
            return RateLimitStore.Memory;
        if (!Enum.TryParse<RateLimitStore>(text, ignoreCase: true, out var store) || !Enum.IsDefined(store) || int.TryParse(text, out _))
            throw new InvalidSettingException($"{SectionName}:Store", $"'{text}' is not supported; use Memory or Redis.");
        if (store == RateLimitStore.Redis)
            redis.Require($"{SectionName}:Store=Redis");
        return store;
    }

    /// <summary>The limit of a tier.</summary>
    public int For(SubscriptionTier tier) =>
        Tiers.FirstOrDefault(t => string.Equals(t.Key, tier.ToString(), StringComparison.OrdinalIgnoreCase)) is { Key: not null } match ? match.Value : RequestsPerSecond;

    /// <summary>This instance's share of a limit: <paramref name="limit"/> / <see cref="Instances"/>, rounded up.</summary>
    public int PerInstance(int limit) => (limit + Instances - 1) / Instances;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (tier, limit) in Tiers)
        {
            if (!Enum.TryParse<SubscriptionTier>(tier, ignoreCase: true, out _))
                yield return new ValidationResult($"RateLimiting:Tiers:{tier} is not a tier; use Free, Starter, Professional or Enterprise.");
            else if (limit is < 1 or > 1_000_000)
                yield return new ValidationResult($"RateLimiting:Tiers:{tier} must be between 1 and 1,000,000.");
        }
    }
}
