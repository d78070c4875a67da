using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Common;
using TenantPortal.Core.Entitlements;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Entitlements;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Entitlements;

/// <summary>
/// Operators' overrides of a tenant's features, and the checks that read them: the plan's value until an override, the
/// override until its expiry (the clock passing it is enough), audited with the reason, operators only, bad input refused
/// naming the field with nothing written.
/// </summary>
public abstract class EntitlementOverrideServiceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : EntitlementOverrideServiceTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : EntitlementOverrideServiceTests(DatabaseProvider.PostgreSql);

    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);

    public Task InitializeAsync() => _bed.InitializeAsync();
    public Task DisposeAsync() => _bed.DisposeAsync();

    private EntitlementOverrideService Overrides => _bed.In(null).EntitlementOverrides;

    // The bed's contexts have no interceptor: a change is followed by the invalidation the portal's interceptor makes.
    private async Task<Entitlement> CheckAsync(string feature, bool afterChange = false)
    {
        if (afterChange)
            _bed.EntitlementCache.Invalidate(_bed.AlphaId);
        return (await _bed.In(null).Entitlements.CheckAsync(_bed.AlphaId, feature, None)).Value;
    }

    [Fact]
    public async Task Check_GivesThePlansValue_WithoutAnOverride()
    {
        var sso = await CheckAsync("sso");
        var keys = await CheckAsync("max_api_keys");

        Assert.Equal((false, EntitlementSource.Plan, (DateTimeOffset?)null), (sso.Enabled, sso.Source, sso.ExpiresAt));
        Assert.Equal((true, 5L, EntitlementSource.Plan), (keys.Enabled, keys.Value.Limit!.Value, keys.Source));
    }

    [Fact]
    public async Task Set_WithAnExpiry_AppliesUntilThen_AndThePlansValueAfter_WithoutAnyInvalidation()
    {
        var op = await _bed.MakeOperatorAsync();
        var end = _bed.Time.GetUtcNow().AddDays(3);
        Assert.True((await Overrides.SetAsync(op, _bed.AlphaId, new("sso", true, null, end), "pilot of SSO", None)).IsSuccess);

        var during = await CheckAsync("sso", afterChange: true);
        _bed.Time.Advance(TimeSpan.FromDays(3) - TimeSpan.FromTicks(1));
        var lastTick = await CheckAsync("sso");
        _bed.Time.Advance(TimeSpan.FromTicks(1));
        var after = await CheckAsync("sso");

        Assert.Equal((true, EntitlementSource.Override, (DateTimeOffset?)end), (during.Enabled, during.Source, during.ExpiresAt));
        Assert.True(lastTick.Enabled);
        Assert.Equal((false, EntitlementSource.Plan, (DateTimeOffset?)null), (after.Enabled, after.Source, after.ExpiresAt));
        var row = (await Overrides.ListAsync(op, _bed.AlphaId, None)).Value.Single(r => r.Feature.Name == "sso");
        Assert.True(row.Override!.Expired);
        Assert.Equal(EntitlementSource.Plan, row.Effective.Source);
    }

    [Fact]
    public async Task Set_ALimit_ReplacesThePlans_AndRemove_RestoresIt_BothAuditedWithTheReason()
    {
        var op = await _bed.MakeOperatorAsync();

        var set = await Overrides.SetAsync(op, _bed.AlphaId, new("max_api_keys", false, 40, null), "integration partner", None);
        var overridden = await CheckAsync("max_api_keys", afterChange: true);
        var raised = await Overrides.SetAsync(op, _bed.AlphaId, new("max_api_keys", false, -1, null), "unlimited for the migration", None);
        var unlimited = await CheckAsync("max_api_keys", afterChange: true);
        var removed = await Overrides.RemoveAsync(op, _bed.AlphaId, "max_api_keys", "migration done", None);
        var plan = await CheckAsync("max_api_keys", afterChange: true);

        Assert.True(set.IsSuccess && raised.IsSuccess && removed.IsSuccess);
        Assert.Equal((40L, EntitlementSource.Override), (overridden.Value.Limit!.Value, overridden.Source));
        Assert.True(unlimited.Value.IsUnlimited);
        Assert.Equal((5L, EntitlementSource.Plan), (plan.Value.Limit!.Value, plan.Source));
        await using var db = _bed.Database.CrossTenant();
        Assert.False(await db.EntitlementOverrides.AnyAsync());
        var audit = await db.AuditEntries.Where(a => a.TenantId == _bed.AlphaId && a.Action.StartsWith("entitlement.")).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal([AuditActions.EntitlementOverridden, AuditActions.EntitlementOverridden, AuditActions.EntitlementOverrideRemoved], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal(("entitlement:max_api_keys", op.UserId), (a.Target, a.ActorUserId)));
        Assert.Equal("plan 5 → 40 (plan 5); reason: integration partner", audit[0].Details);
        Assert.Equal("override 40 → Unlimited (plan 5); reason: unlimited for the migration", audit[1].Details);
        Assert.Equal("override Unlimited removed, plan 5 applies; reason: migration done", audit[2].Details);
    }

    [Theory]
    [InlineData("owner")]
    [InlineData("beta-owner")]
    public async Task Set_IsRefused_ForAnyoneWithoutTheOperatorRole(string caller)
    {
        var result = await Overrides.SetAsync(_bed.ActorOf(caller), _bed.AlphaId, new("sso", true, null, null), "let me in", None);
        var list = await Overrides.ListAsync(_bed.ActorOf(caller), _bed.AlphaId, None);

        Assert.Equal(ErrorCodes.Forbidden, result.Error?.Code);
        Assert.Equal(ErrorCodes.Forbidden, list.Error?.Code);
        Assert.False((await CheckAsync("sso", afterChange: true)).Enabled);
    }

    [Theory]
    [InlineData("saml", false, null, 1, "reason", "feature")]
    [InlineData("sso", true, 3L, 1, "reason", "limit")]
    [InlineData("max_api_keys", true, null, 1, "reason", "limit")]
    [InlineData("max_api_keys", true, -2L, 1, "reason", "limit")]
    [InlineData("max_api_keys", true, 1_000_000_001L, 1, "reason", "limit")]
    [InlineData("sso", true, null, 0, "reason", "expiresAt")]
    [InlineData("sso", true, null, -1, "reason", "expiresAt")]
    [InlineData("sso", true, null, 1, "  ", "reason")]
    [InlineData("sso", true, null, 1, "bad\u202Ereason", "reason")]
    public async Task Set_RefusesBadInput_NamingTheField_AndWritesNothing(string feature, bool enabled, long? limit, int expiresInDays, string reason, string field)
    {
        var op = await _bed.MakeOperatorAsync();

        var result = await Overrides.SetAsync(op, _bed.AlphaId,
            new(feature, enabled, limit, expiresInDays == 1 ? null : _bed.Time.GetUtcNow().AddDays(expiresInDays)), reason, None);

        Assert.Equal((ErrorCodes.Invalid, field), (result.Error?.Code, result.Error?.Field));
        await using var db = _bed.Database.CrossTenant();
        Assert.False(await db.EntitlementOverrides.AnyAsync());
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action.StartsWith("entitlement.")));
    }

    [Fact]
    public async Task Remove_WithoutAnOverride_IsRefused_NamingTheFeature()
    {
        var op = await _bed.MakeOperatorAsync();

        var result = await Overrides.RemoveAsync(op, _bed.AlphaId, "webhooks", "tidy up", None);

        Assert.Equal((ErrorCodes.Invalid, "feature"), (result.Error?.Code, result.Error?.Field));
        Assert.Contains("Webhooks", result.Error!.Message);
    }

    [Fact]
    public async Task Set_ForAnUnknownTenant_IsNotFound()
    {
        var op = await _bed.MakeOperatorAsync();

        var result = await Overrides.SetAsync(op, Guid.NewGuid(), new("sso", true, null, null), "reason", None);

        Assert.Equal(ErrorCodes.NotFound, result.Error?.Code);
    }

    [Fact]
    public async Task Check_OfAnUnknownFeature_IsNotFound_NamingIt()
    {
        var result = await _bed.In(null).Entitlements.CheckAsync(_bed.AlphaId, "saml", None);

        Assert.Equal((ErrorCodes.NotFound, "feature"), (result.Error?.Code, result.Error?.Field));
        Assert.Contains("'saml' is not a feature", result.Error!.Message);
    }

    [Fact]
    public async Task List_ForAMember_GivesEveryFeature_AndAnOverrideOfAnotherTenantDoesNotShow()
    {
        var op = await _bed.MakeOperatorAsync();
        Assert.True((await Overrides.SetAsync(op, _bed.BetaId, new("webhooks", true, null, null), "beta pilot", None)).IsSuccess);

        var alpha = await _bed.In(_bed.AlphaId).Entitlements.ListAsync(_bed.ActorOf("viewer"), None);

        Assert.Equal(EntitlementFeatures.All.Select(f => f.Name), alpha.Value.Select(e => e.Feature.Name));
        Assert.All(alpha.Value, e => Assert.Equal(EntitlementSource.Plan, e.Source));
        Assert.False(alpha.Value.Single(e => e.Feature.Name == "webhooks").Enabled);
        Assert.True((await _bed.In(null).Entitlements.CheckAsync(_bed.BetaId, "webhooks", None)).Value.Enabled);
    }
}
