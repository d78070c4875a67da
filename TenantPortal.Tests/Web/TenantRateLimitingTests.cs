using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using TenantPortal.Web.Options;
using TenantPortal.Web.Security;

namespace TenantPortal.Tests.Web;

public class TenantRateLimitingTests
{
    private static HttpContext RequestOf(string tenant, string tier = "Professional") => new DefaultHttpContext
    {
        User = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ApiKeyAuthenticationHandler.TenantClaim, tenant), new Claim(ApiKeyAuthenticationHandler.TierClaim, tier)], "ApiKey")),
    };

    private static PartitionedRateLimiter<HttpContext> Limiter(RateLimitingOptions options) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context => TenantRateLimiting.Partition(context, options));

    [Fact]
    public void Request201_WithinASecond_IsRefusedWithRetryAfter_AndAnotherTenantIsNot()
    {
        using var limiter = Limiter(new RateLimitingOptions());
        var tenantA = RequestOf("tenant-a");

        var granted = Enumerable.Range(0, 200).Count(_ => limiter.AttemptAcquire(tenantA).IsAcquired);
        using var refused = limiter.AttemptAcquire(tenantA);
        using var otherTenant = limiter.AttemptAcquire(RequestOf("tenant-b"));

        Assert.Equal(200, granted);
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.InRange(retryAfter, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.True(otherTenant.IsAcquired);
    }

    [Fact]
    public void ATierOverride_SetsThatTiersLimit()
    {
        using var limiter = Limiter(new RateLimitingOptions { Tiers = new() { ["free"] = 3 } });
        var free = RequestOf("free-tenant", "Free");

        var granted = Enumerable.Range(0, 10).Count(_ => limiter.AttemptAcquire(free).IsAcquired);

        Assert.Equal(3, granted);
    }

    [Theory]
    [InlineData(1, 200)]
    [InlineData(2, 100)]
    [InlineData(3, 67)]
    public void WithSeveralInstances_EachEnforcesItsShareOfTheLimit_RoundedUp(int instances, int expected)
    {
        using var limiter = Limiter(new RateLimitingOptions { Instances = instances });
        var tenant = RequestOf("tenant-a");

        var granted = Enumerable.Range(0, 300).Count(_ => limiter.AttemptAcquire(tenant).IsAcquired);

        Assert.Equal(expected, granted);
    }

    [Fact]
    public void WithSeveralInstances_ATierOverrideIsSharedToo_AndNeverFallsBelowOne()
    {
        using var limiter = Limiter(new RateLimitingOptions { Instances = 4, Tiers = new() { ["Free"] = 2 } });

        Assert.Equal(1, Enumerable.Range(0, 10).Count(_ => limiter.AttemptAcquire(RequestOf("free-tenant", "Free")).IsAcquired));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1_001)]
    public void AnInstancesCountOutOfRange_IsRefused(int instances)
    {
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        var options = new RateLimitingOptions { Instances = instances };

        Assert.False(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true));
        Assert.Contains(results, r => r.ErrorMessage == "RateLimiting:Instances must be between 1 and 1,000.");
    }
}
