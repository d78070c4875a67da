using TenantPortal.Core.Common;
using TenantPortal.Data.Options;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Entitlements;

/// <summary>
/// The portal enforces its own <c>max_api_keys</c> entitlement in <see cref="TenantPortal.Data.Services.ApiKeys.ApiKeyService"/>:
/// alpha is on Starter (5 live keys) and holds one.
/// </summary>
public class ApiKeyLimitTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TenancyTestBed _bed = TenancyTestBed.On(DatabaseProvider.Sqlite);

    public Task InitializeAsync() => _bed.InitializeAsync();
    public Task DisposeAsync() => _bed.DisposeAsync();

    [Fact]
    public async Task Create_IsRefused_BeyondThePlansLimit_AndAllowedAgainAfterARevoke()
    {
        var keys = _bed.In(_bed.AlphaId).ApiKeys;
        var admin = _bed.ActorOf("admin");
        var created = new List<Guid>();
        for (var i = 0; i < 4; i++)
            created.Add((await keys.CreateAsync(admin, $"key {i}", None)).Value.Id);

        var allowance = (await keys.AllowanceAsync(admin, None)).Value;
        var refused = await keys.CreateAsync(admin, "one too many", None);
        Assert.True((await keys.RevokeAsync(admin, created[0], None)).IsSuccess);
        var afterRevoke = await keys.CreateAsync(admin, "replacement", None);

        Assert.Equal(("5 of 5 keys in use", false), (allowance.Summary, allowance.CanCreate));
        Assert.Equal(ErrorCodes.ApiKeyLimitReached, refused.Error?.Code);
        Assert.Contains("Your plan allows 5 keys and 5 are live", refused.Error!.Message);
        Assert.Equal(5, (await keys.ListAsync(admin, None)).Value.Count(k => k.RevokedAt is null));
        Assert.True(afterRevoke.IsSuccess);
    }

    [Fact]
    public async Task Create_FollowsAnOperatorsOverride_AndKeysAboveALoweredLimitKeepWorking()
    {
        var keys = _bed.In(_bed.AlphaId).ApiKeys;
        var admin = _bed.ActorOf("admin");
        var op = await _bed.MakeOperatorAsync();
        Assert.True((await _bed.In(null).EntitlementOverrides.SetAsync(op, _bed.AlphaId, new("max_api_keys", true, 7, null), "partner integration", None)).IsSuccess);
        _bed.EntitlementCache.Invalidate(_bed.AlphaId); // what the portal's save interceptor does
        var secrets = new List<string>();
        for (var i = 0; i < 6; i++)
            secrets.Add((await keys.CreateAsync(admin, $"key {i}", None)).Value.Secret);

        Assert.True((await _bed.In(null).EntitlementOverrides.SetAsync(op, _bed.AlphaId, new("max_api_keys", true, 2, null), "partnership ended", None)).IsSuccess);
        _bed.EntitlementCache.Invalidate(_bed.AlphaId);
        var refused = await keys.CreateAsync(admin, "eighth", None);
        var allowance = (await keys.AllowanceAsync(admin, None)).Value;

        Assert.Equal(ErrorCodes.ApiKeyLimitReached, refused.Error?.Code);
        Assert.Equal("7 of 2 keys in use", allowance.Summary);
        foreach (var secret in secrets)
            Assert.NotNull(await _bed.In(null).ApiKeys.AuthenticateAsync(secret, None));
    }

    [Fact]
    public async Task Create_IsRefused_WhenThePlanIncludesNoKeys()
    {
        var op = await _bed.MakeOperatorAsync();
        Assert.True((await _bed.In(null).EntitlementOverrides.SetAsync(op, _bed.AlphaId, new("max_api_keys", false, 0, null), "abuse investigation", None)).IsSuccess);

        var refused = await _bed.In(_bed.AlphaId).ApiKeys.CreateAsync(_bed.ActorOf("owner"), "new", None);

        Assert.Equal(ErrorCodes.ApiKeyLimitReached, refused.Error?.Code);
        Assert.Contains("includes no API keys", refused.Error!.Message);
    }
}
