using System.Net;
using System.Text;
using System.Text.Json;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Tests.Infrastructure;
using static TenantPortal.Tests.Infrastructure.ApiResponses;

namespace TenantPortal.Tests.Web.Api.Management;

[Collection(PortalCollection.Name)]
public class SubscriptionApiTests(PortalAppFactory portal)
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");


    private async Task<(string Slug, HttpClient Client)> ThrowawayAsync(SubscriptionTier tier, TenantStatus status, params string[] scopes)
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, tier, status);
        return (slug, ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, slug, scopes.Length == 0 ? [ApiKeyScopes.BillingRead, ApiKeyScopes.BillingWrite] : scopes)));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string? body, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (body is not null)
            request.Content = Json(body);
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> ChangeAsync(HttpClient client, string tier, string cycle = "Monthly", string? ifMatch = null) =>
        PostAsync(client, "/api/v1/subscription", $"{{\"tier\":\"{tier}\",\"cycle\":\"{cycle}\"}}", ifMatch);

    // A Starter tenant of its own that subscribed to Professional through the API, and its billing key.
    private async Task<(string Slug, HttpClient Client)> SubscribedAsync()
    {
        var (slug, client) = await ThrowawayAsync(SubscriptionTier.Starter, TenantStatus.Active);
        var subscribed = await ChangeAsync(client, "Professional");
        Assert.True(subscribed.IsSuccessStatusCode, await subscribed.Content.ReadAsStringAsync());
        return (slug, client);
    }

    [Fact]
    public async Task Get_ReturnsTheSubscription_WithAnETag()
    {
        using var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, "acme", ApiKeyScopes.BillingRead));

        var response = await client.GetAsync("/api/v1/subscription");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await BodyAsync(response);
        Assert.Equal(("Professional", "Active", 19_900L), (body.GetProperty("tier").GetString(), body.GetProperty("status").GetString(), body.GetProperty("priceCents").GetInt64()));
        Assert.Equal(JsonValueKind.Number, body.GetProperty("upcomingTotalCents").ValueKind);
        Assert.False(body.GetProperty("usesStripe").GetBoolean());
        Assert.NotNull(response.Headers.ETag);
    }

    [Fact]
    public async Task Post_SubscribesAtOnceOnTheLedger_AndAuditsTheKeyAndItsCreator()
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, SubscriptionTier.Starter, TenantStatus.Trial);
        var secret = await ApiKeys.CreateByAsync(portal, slug, "owner@acme.test", ApiKeyScopes.BillingWrite);
        using var client = ApiKeys.ClientFor(portal, secret);

        var response = await ChangeAsync(client, "Professional");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await BodyAsync(response);
        Assert.Equal("Subscribe", body.GetProperty("kind").GetString());
        var subscription = body.GetProperty("subscription");
        Assert.Equal(("Professional", "Active", true), (subscription.GetProperty("tier").GetString(), subscription.GetProperty("status").GetString(),
            subscription.GetProperty("hasPaidSubscription").GetBoolean()));
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal(SubscriptionTier.Professional, (await ApiBilling.TenantAsync(portal, slug)).Tier);
        var entry = (await ApiKeys.AuditAsync(portal, slug)).First();
        Assert.Equal("subscription.started", entry.Action);
        Assert.Contains($"API key test ({secret[..ApiKey.PrefixLength]}…)", entry.Actor);
        Assert.Contains("owner@acme.test", entry.Actor);
    }

    [Fact]
    public async Task Post_UpgradesAtOnceWithProration_AndSchedulesADowngrade()
    {
        var (_, client) = await SubscribedAsync();
        using var _c = client;

        var upgrade = await ChangeAsync(client, "Enterprise");
        var downgrade = await ChangeAsync(client, "Starter");

        Assert.Equal(HttpStatusCode.OK, upgrade.StatusCode);
        var up = await BodyAsync(upgrade);
        Assert.Equal(("Upgrade", "Enterprise"), (up.GetProperty("kind").GetString(), up.GetProperty("subscription").GetProperty("tier").GetString()));
        Assert.True(up.GetProperty("prorationCents").GetInt64() > 0);
        Assert.Equal(HttpStatusCode.OK, downgrade.StatusCode);
        var down = await BodyAsync(downgrade);
        Assert.Equal("Downgrade", down.GetProperty("kind").GetString());
        Assert.Equal("Enterprise", down.GetProperty("subscription").GetProperty("tier").GetString());
        Assert.Equal("Starter", down.GetProperty("subscription").GetProperty("scheduledChange").GetProperty("tier").GetString());
    }

    [Fact]
    public async Task Post_TheCurrentPlan_Is409SamePlan()
    {
        var (slug, client) = await SubscribedAsync();
        using var _c = client;

        await AssertProblemAsync(await ChangeAsync(client, "Professional"), HttpStatusCode.Conflict, "same_plan");
        Assert.Equal(SubscriptionTier.Professional, (await ApiBilling.TenantAsync(portal, slug)).Tier);
    }

    [Fact]
    public async Task Post_ADowngradeBelowTheUsage_Is409DowngradeBlocked_AndChangesNothing()
    {
        var (slug, client) = await ThrowawayAsync(SubscriptionTier.Starter, TenantStatus.Trial);
        using var _c = client;
        await ApiBilling.AddEventsAsync(portal, slug, ("studies-1", UsageMetric.Studies, 2_000, DateTimeOffset.UtcNow.AddMinutes(-1)));

        await AssertProblemAsync(await ChangeAsync(client, "Free"), HttpStatusCode.Conflict, "downgrade_blocked");
        var tenant = await ApiBilling.TenantAsync(portal, slug);
        Assert.Equal((SubscriptionTier.Starter, TenantStatus.Trial), (tenant.Tier, tenant.Status));
    }

    [Fact]
    public async Task Post_WhileSuspended_Is409Conflict()
    {
        var (slug, client) = await SubscribedAsync();
        using var _c = client;
        await ApiBilling.SuspendForNonPaymentAsync(portal, slug);

        await AssertProblemAsync(await ChangeAsync(client, "Enterprise"), HttpStatusCode.Conflict, "conflict");
        Assert.Equal(SubscriptionTier.Professional, (await ApiBilling.TenantAsync(portal, slug)).Tier);
    }

    [Fact]
    public async Task Post_WithTheCurrentETag_Applies_AndWithAStaleOne_Is412_ChangingNothing()
    {
        var (slug, client) = await ThrowawayAsync(SubscriptionTier.Starter, TenantStatus.Active);
        using var _c = client;
        var etag = (await client.GetAsync("/api/v1/subscription")).Headers.ETag!.Tag;

        var first = await ChangeAsync(client, "Professional", ifMatch: etag);
        var second = await ChangeAsync(client, "Enterprise", ifMatch: etag);
        var cancel = await PostAsync(client, "/api/v1/subscription/cancel", "{\"atPeriodEnd\":true}", etag);
        var reactivate = await PostAsync(client, "/api/v1/subscription/reactivate", null, etag);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertProblemAsync(second, HttpStatusCode.PreconditionFailed, "precondition_failed");
        await AssertProblemAsync(cancel, HttpStatusCode.PreconditionFailed, "precondition_failed");
        await AssertProblemAsync(reactivate, HttpStatusCode.PreconditionFailed, "precondition_failed");
        var tenant = await ApiBilling.TenantAsync(portal, slug);
        Assert.Equal((SubscriptionTier.Professional, false), (tenant.Tier, tenant.CancelAtPeriodEnd));
        Assert.Equal(first.Headers.ETag!.Tag, (await client.GetAsync("/api/v1/subscription")).Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, (await ChangeAsync(client, "Enterprise", ifMatch: first.Headers.ETag!.Tag)).StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/subscription", "{\"tier\":\"Gold\",\"cycle\":\"Monthly\"}", 422, "tier")]
    [InlineData("/api/v1/subscription", "{\"cycle\":\"Monthly\"}", 422, "tier")]
    [InlineData("/api/v1/subscription", "{\"tier\":\"1\",\"cycle\":\"Monthly\"}", 422, "tier")]
    [InlineData("/api/v1/subscription", "{\"tier\":2,\"cycle\":\"Monthly\"}", 422, "tier")]
    [InlineData("/api/v1/subscription", "{\"tier\":\"Professional\"}", 422, "cycle")]
    [InlineData("/api/v1/subscription", "{\"tier\":\"Professional\",\"cycle\":\"Weekly\"}", 422, "cycle")]
    [InlineData("/api/v1/subscription", "{\"tier\":\"Free\",\"cycle\":\"Annual\"}", 422, "cycle")]
    [InlineData("/api/v1/subscription", "{\"tier\":\"Professional\",\"cycle\":\"Monthly\",\"coupon\":\"X\"}", 422, "coupon")]
    [InlineData("/api/v1/subscription", "{\"tier\":", 400, "body")]
    [InlineData("/api/v1/subscription/cancel", "{}", 422, "atPeriodEnd")]
    [InlineData("/api/v1/subscription/cancel", "{\"atPeriodEnd\":\"yes\"}", 422, "atPeriodEnd")]
    [InlineData("/api/v1/subscription/cancel", "{\"atPeriodEnd\":null}", 422, "atPeriodEnd")]
    [InlineData("/api/v1/subscription/cancel", "{\"atPeriodEnd\":true,\"reason\":\"x\"}", 422, "reason")]
    public async Task Post_WithBadInput_IsAProblemNamingTheField_AndChangesNothing(string path, string body, int status, string field)
    {
        var (slug, client) = await SubscribedAsync();
        using var _c = client;
        var before = await (await client.GetAsync("/api/v1/subscription")).Content.ReadAsStringAsync();
        var audited = (await ApiKeys.AuditAsync(portal, slug)).Count;

        var response = await PostAsync(client, path, body);

        await AssertProblemAsync(response, (HttpStatusCode)status, null, field);
        Assert.Equal(before, await (await client.GetAsync("/api/v1/subscription")).Content.ReadAsStringAsync());
        Assert.Equal(audited, (await ApiKeys.AuditAsync(portal, slug)).Count);
    }

    [Fact]
    public async Task Cancel_AtPeriodEnd_ThenReactivate_ThenCancelAtOnce()
    {
        var (slug, client) = await SubscribedAsync();
        using var _c = client;

        var cancelled = await PostAsync(client, "/api/v1/subscription/cancel", "{\"atPeriodEnd\":true}");
        var again = await PostAsync(client, "/api/v1/subscription/cancel", "{\"atPeriodEnd\":true}");
        var reactivated = await PostAsync(client, "/api/v1/subscription/reactivate", null);
        var nothingToUndo = await PostAsync(client, "/api/v1/subscription/reactivate", null);
        var ended = await PostAsync(client, "/api/v1/subscription/cancel", "{\"atPeriodEnd\":false}");

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.True((await BodyAsync(cancelled)).GetProperty("subscription").GetProperty("cancelAtPeriodEnd").GetBoolean());
        await AssertProblemAsync(again, HttpStatusCode.Conflict, "conflict");
        Assert.Equal(HttpStatusCode.OK, reactivated.StatusCode);
        Assert.False((await BodyAsync(reactivated)).GetProperty("cancelAtPeriodEnd").GetBoolean());
        await AssertProblemAsync(nothingToUndo, HttpStatusCode.Conflict, "no_subscription");
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal("Cancelled", (await BodyAsync(ended)).GetProperty("subscription").GetProperty("status").GetString());
        Assert.Equal(["subscription.cancelled", "subscription.reactivated", "subscription.cancelled"],
            (await ApiKeys.AuditAsync(portal, slug)).Take(3).Select(a => a.Action).Reverse());
    }

    [Fact]
    public async Task Cancel_AndReactivate_WithoutASubscription_Are409NoSubscription()
    {
        var (_, client) = await ThrowawayAsync(SubscriptionTier.Starter, TenantStatus.Trial);
        using var _c = client;

        await AssertProblemAsync(await PostAsync(client, "/api/v1/subscription/cancel", "{\"atPeriodEnd\":true}"), HttpStatusCode.Conflict, "no_subscription");
        await AssertProblemAsync(await PostAsync(client, "/api/v1/subscription/reactivate", null), HttpStatusCode.Conflict, "no_subscription");
    }

    [Theory]
    [InlineData("GET", "/api/v1/subscription", ApiKeyScopes.BillingRead)]
    [InlineData("POST", "/api/v1/subscription", ApiKeyScopes.BillingWrite)]
    [InlineData("POST", "/api/v1/subscription/cancel", ApiKeyScopes.BillingWrite)]
    [InlineData("POST", "/api/v1/subscription/reactivate", ApiKeyScopes.BillingWrite)]
    public async Task WithoutTheScope_Is403MissingScope_ChangingNothing_AndARevokedKeyIs401(string method, string path, string scope)
    {
        var (slug, owner) = await SubscribedAsync();
        using var _o = owner;
        using var without = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, slug, ApiKeyScopes.All.Where(s => s != scope).ToArray()));
        var secret = await ApiKeys.CreateAsync(portal, slug, scope);
        using var revoked = ApiKeys.ClientFor(portal, secret);
        await ApiKeys.RevokeAsync(portal, secret);
        var body = path.EndsWith("cancel", StringComparison.Ordinal) ? "{\"atPeriodEnd\":false}" : path.EndsWith("subscription", StringComparison.Ordinal) ? "{\"tier\":\"Enterprise\",\"cycle\":\"Monthly\"}" : null;

        var forbidden = method == "GET" ? await without.GetAsync(path) : await PostAsync(without, path, body);
        var unauthorized = method == "GET" ? await revoked.GetAsync(path) : await PostAsync(revoked, path, body);

        await AssertProblemAsync(forbidden, HttpStatusCode.Forbidden, "missing_scope");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        var tenant = await ApiBilling.TenantAsync(portal, slug);
        Assert.Equal((SubscriptionTier.Professional, TenantStatus.Active), (tenant.Tier, tenant.Status));
    }
}
