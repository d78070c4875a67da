using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using TenantPortal.Core.Tenants;
using TenantPortal.Web.Options;

namespace TenantPortal.Web.Security;

/// <summary>
/// The API's rate limit: a one-second window per tenant (from the API key), <c>RateLimiting:RequestsPerSecond</c> by
/// default or the tier's override. Limits are kept per instance: with <c>RateLimiting:Instances</c> = N each instance
/// enforces 1/N of the limit (see README, Scaling out). Refusals answer 429 with
/// <c>Retry-After</c> and a problem body.
/// </summary>
public static class TenantRateLimiting
{
    /// <summary>The policy name used by the API group.</summary>
    public const string Policy = "tenant-api";

    /// <summary>Registers the limiter.</summary>
    public static IServiceCollection AddTenantRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(Policy, context =>
                Partition(context, context.RequestServices.GetRequiredService<IOptions<RateLimitingOptions>>().Value));
            options.OnRejected = async (rejection, cancellationToken) =>
            {
                var seconds = rejection.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : 1;
                rejection.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                rejection.HttpContext.RequestServices.GetRequiredService<TenantPortal.Web.Observability.PortalMetrics>().RateLimited();
                if (Guid.TryParse(rejection.HttpContext.User.FindFirstValue(ApiKeyAuthenticationHandler.TenantClaim), out var tenantId))
                    rejection.HttpContext.RequestServices.GetRequiredService<TenantPortal.Web.Observability.ApiRefusalCounter>()
                        .Count(tenantId, TenantPortal.Core.Usage.ApiRefusalDay.RateLimited);
                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                        detail: $"This workspace's API limit per second is reached; retry after {seconds} s.")
                    .ExecuteAsync(rejection.HttpContext);
            };
        });
        return services;
    }

    /// <summary>The partition of a request: its tenant, with that tenant's limit.</summary>
    public static RateLimitPartition<string> Partition(HttpContext context, RateLimitingOptions options)
    {
        var tenant = context.User.FindFirstValue(ApiKeyAuthenticationHandler.TenantClaim)
            ?? $"ip:{context.Connection.RemoteIpAddress}";
        var limit = options.PerInstance(Enum.TryParse<SubscriptionTier>(context.User.FindFirstValue(ApiKeyAuthenticationHandler.TierClaim), out var tier)
            ? options.For(tier)
            : options.RequestsPerSecond);
        return RateLimitPartition.GetFixedWindowLimiter($"{tenant}:{limit}", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit,
            Window = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }
}
