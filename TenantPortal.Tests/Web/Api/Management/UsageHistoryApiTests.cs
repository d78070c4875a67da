using System.Net;
using System.Text.Json;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Tests.Infrastructure;
using static TenantPortal.Tests.Infrastructure.ApiResponses;

namespace TenantPortal.Tests.Web.Api.Management;

[Collection(PortalCollection.Name)]
public class UsageHistoryApiTests(PortalAppFactory portal)
{
    private static readonly DateTimeOffset October = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
    private const string OctoberRange = "from=2026-10-01T00:00:00Z&to=2026-10-04T00:00:00Z";


    // A tenant of its own with a few rollups of early October 2026, and a usage:read key of it.
    private async Task<(string Slug, HttpClient Client)> TenantWithRollupsAsync()
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, SubscriptionTier.Starter, TenantStatus.Active);
        await ApiBilling.AddRollupsAsync(portal, slug,
            (UsageMetric.ApiCalls, RollupGranularity.Day, October, 100m),
            (UsageMetric.StorageGb, RollupGranularity.Day, October, 12.5m),
            (UsageMetric.ApiCalls, RollupGranularity.Day, October.AddDays(1), 50m),
            (UsageMetric.ApiCalls, RollupGranularity.Day, October.AddDays(4), 999m),
            (UsageMetric.ApiCalls, RollupGranularity.Hour, October.AddHours(3), 40m),
            (UsageMetric.ApiCalls, RollupGranularity.Month, October, 150m));
        return (slug, ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, slug, ApiKeyScopes.UsageRead)));
    }

    private static IEnumerable<(string, string, decimal, string)> Items(JsonElement body) =>
        body.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("metric").GetString()!, i.GetProperty("periodStart").GetDateTimeOffset().ToString("O"),
            i.GetProperty("quantity").GetDecimal(), i.GetProperty("granularity").GetString()!));

    [Fact]
    public async Task Get_ReturnsTheRolledUpDaysInTheRange_OldestFirst()
    {
        var (_, client) = await TenantWithRollupsAsync();
        using var _c = client;

        var response = await client.GetAsync($"/api/v1/usage/history?granularity=day&{OctoberRange}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await BodyAsync(response);
        Assert.Equal([("api_calls", October.ToString("O"), 100m, "day"), ("storage_gb", October.ToString("O"), 12.5m, "day"), ("api_calls", October.AddDays(1).ToString("O"), 50m, "day")],
            Items(body));
        Assert.Equal(October.AddDays(1), body.GetProperty("items")[0].GetProperty("periodEnd").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("nextCursor").ValueKind);
        Assert.Equal(October, body.GetProperty("from").GetDateTimeOffset());
    }

    [Fact]
    public async Task Get_FiltersByMetric_AndReadsHourAndMonthRollups()
    {
        var (_, client) = await TenantWithRollupsAsync();
        using var _c = client;

        var storage = await BodyAsync(await client.GetAsync($"/api/v1/usage/history?metric=storage_gb&{OctoberRange}"));
        var hours = await BodyAsync(await client.GetAsync($"/api/v1/usage/history?granularity=hour&{OctoberRange}"));
        var months = await BodyAsync(await client.GetAsync("/api/v1/usage/history?granularity=month&from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z"));

        Assert.Equal([("storage_gb", October.ToString("O"), 12.5m, "day")], Items(storage));
        Assert.Equal([("api_calls", October.AddHours(3).ToString("O"), 40m, "hour")], Items(hours));
        Assert.Equal(October.AddHours(4), hours.GetProperty("items")[0].GetProperty("periodEnd").GetDateTimeOffset());
        Assert.Equal([("api_calls", October.ToString("O"), 150m, "month")], Items(months));
        Assert.Equal(October.AddMonths(1), months.GetProperty("items")[0].GetProperty("periodEnd").GetDateTimeOffset());
    }

    [Fact]
    public async Task Get_WithoutARange_CoversTheCurrentBillingPeriodUpToNow()
    {
        using var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, "acme", ApiKeyScopes.UsageRead));
        var now = DateTimeOffset.UtcNow;

        var body = await BodyAsync(await client.GetAsync("/api/v1/usage/history"));

        Assert.Equal(new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero), body.GetProperty("from").GetDateTimeOffset());
        Assert.InRange(body.GetProperty("to").GetDateTimeOffset(), now.AddMinutes(-1), now.AddMinutes(1));
        Assert.All(body.GetProperty("items").EnumerateArray(), i => Assert.Equal("day", i.GetProperty("granularity").GetString()));
    }

    [Fact]
    public async Task Get_WalkingThePages_ReturnsEveryPeriodOnce()
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, SubscriptionTier.Starter, TenantStatus.Active);
        await ApiBilling.AddRollupsAsync(portal, slug, Enumerable.Range(0, 7).Select(d => (UsageMetric.GpuHours, RollupGranularity.Day, October.AddDays(d), (decimal)d + 1)).ToArray());
        using var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, slug, ApiKeyScopes.UsageRead));

        var seen = new List<decimal>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var body = await BodyAsync(await client.GetAsync("/api/v1/usage/history?from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z&limit=3"
                + (cursor is null ? "" : "&cursor=" + cursor)));
            seen.AddRange(body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("quantity").GetDecimal()));
            cursor = body.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal([1m, 2m, 3m, 4m, 5m, 6m, 7m], seen);
        Assert.Equal(3, pages);
    }

    [Theory]
    [InlineData("metric=users", "metric")]
    [InlineData("metric=cpu", "metric")]
    [InlineData("granularity=week", "granularity")]
    [InlineData("from=last-tuesday", "from")]
    [InlineData("to=2026-13-01T00:00:00Z", "to")]
    [InlineData("from=2026-10-04T00:00:00Z&to=2026-10-01T00:00:00Z", "to")]
    [InlineData("granularity=hour&from=2026-09-01T00:00:00Z&to=2026-10-04T00:00:00Z", "to")]
    [InlineData("granularity=day&from=2025-01-01T00:00:00Z&to=2026-10-04T00:00:00Z", "to")]
    [InlineData("granularity=month&from=2020-01-01T00:00:00Z&to=2026-10-04T00:00:00Z", "to")]
    [InlineData("granularity=hour&from=2020-01-01T00:00:00Z", "from")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=lots", "limit")]
    [InlineData("cursor=***", "cursor")]
    [InlineData("cursor=Ym9ndXM", "cursor")]
    public async Task Get_WithBadParameters_Is422NamingTheParameter(string query, string parameter)
    {
        using var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, "acme", ApiKeyScopes.UsageRead));

        var response = await client.GetAsync($"/api/v1/usage/history?{query}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await BodyAsync(response);
        Assert.Equal("invalid", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Fact]
    public async Task Get_WithAKeyOfAnotherTenant_ShowsThatTenantsUsageOnly()
    {
        await TenantWithRollupsAsync();
        var other = await ApiKeys.CreateTenantAsync(portal, SubscriptionTier.Starter, TenantStatus.Active);
        using var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, other, ApiKeyScopes.All.ToArray()));

        var body = await BodyAsync(await client.GetAsync($"/api/v1/usage/history?{OctoberRange}"));

        Assert.Empty(body.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Get_WithoutUsageRead_Is403MissingScope_AndARevokedKeyIs401()
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, SubscriptionTier.Starter, TenantStatus.Active);
        using var without = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, slug, ApiKeyScopes.All.Where(s => s != ApiKeyScopes.UsageRead).ToArray()));
        var secret = await ApiKeys.CreateAsync(portal, slug, ApiKeyScopes.UsageRead);
        using var revoked = ApiKeys.ClientFor(portal, secret);
        await ApiKeys.RevokeAsync(portal, secret);

        var forbidden = await without.GetAsync("/api/v1/usage/history");
        var unauthorized = await revoked.GetAsync("/api/v1/usage/history");

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("missing_scope", (await BodyAsync(forbidden)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
    }
}
