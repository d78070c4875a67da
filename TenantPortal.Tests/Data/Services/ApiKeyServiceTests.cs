using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Common;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.ApiKeys;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

public abstract class ApiKeyServiceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : ApiKeyServiceTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : ApiKeyServiceTests(DatabaseProvider.PostgreSql);

    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);

    public Task InitializeAsync() => _bed.InitializeAsync();
    public Task DisposeAsync() => _bed.DisposeAsync();

    [Fact]
    public async Task Create_ReturnsTheSecretOnce_AndStoresOnlyItsHash()
    {
        var created = await _bed.In(_bed.AlphaId).ApiKeys.CreateAsync(_bed.ActorOf("admin"), "CI pipeline", CancellationToken.None);

        Assert.StartsWith("tp_live_", created.Value.Secret);
        Assert.Equal(created.Value.Secret[..16], created.Value.Prefix);
        await using var db = _bed.Database.CrossTenant();
        var stored = await db.ApiKeys.SingleAsync(k => k.Id == created.Value.Id);
        Assert.Equal(SecretHasher.Sha256Hex(created.Value.Secret), stored.SecretHash);
        var rows = await _bed.In(_bed.AlphaId).ApiKeys.ListAsync(_bed.ActorOf("admin"), CancellationToken.None);
        Assert.DoesNotContain(rows.Value, r => r.Prefix == created.Value.Secret);
    }

    [Fact]
    public async Task Authenticate_FindsTheKeysTenant_RecordsUse_AndStopsAfterRevoke()
    {
        var created = await _bed.In(_bed.AlphaId).ApiKeys.CreateAsync(_bed.ActorOf("admin"), "script", CancellationToken.None);
        var keys = _bed.In(null).ApiKeys;

        var identity = await keys.AuthenticateAsync(created.Value.Secret, CancellationToken.None);
        var revoked = await _bed.In(_bed.AlphaId).ApiKeys.RevokeAsync(_bed.ActorOf("admin"), created.Value.Id, CancellationToken.None);
        var afterRevoke = await keys.AuthenticateAsync(created.Value.Secret, CancellationToken.None);

        Assert.Equal(_bed.AlphaId, identity?.TenantId);
        Assert.True(revoked.IsSuccess);
        Assert.Null(afterRevoke);
        await using var db = _bed.Database.CrossTenant();
        Assert.Equal(_bed.Time.GetUtcNow(), (await db.ApiKeys.SingleAsync(k => k.Id == created.Value.Id)).LastUsedAt);
    }

    [Fact]
    public async Task Authenticate_RefusesAKeyOfADeletedTenant_AtOnce_ThoughItWasCached()
    {
        var created = await _bed.In(_bed.AlphaId).ApiKeys.CreateAsync(_bed.ActorOf("admin"), "script", CancellationToken.None);
        var keys = _bed.In(null).ApiKeys;
        Assert.NotNull(await keys.AuthenticateAsync(created.Value.Secret, CancellationToken.None));
        var scope = _bed.In(_bed.AlphaId);
        var tenants = new TenantPortal.Data.Services.Tenants.TenantService(scope.Contexts, scope.Tenant, new TenantPortal.Data.Services.Audit.AuditWriter(_bed.Time),
            new TenantPortal.Data.Services.Tenants.TenantCreator(scope.Contexts, scope.Tenant,
                Microsoft.Extensions.Options.Options.Create(new TenantPortal.Data.Options.BillingOptions()), _bed.Time), _bed.Addresses, apiKeys: _bed.ApiKeyCache);

        var deleted = await tenants.DeleteAsync(_bed.ActorOf("owner"), TenancyTestBed.AlphaSlug, CancellationToken.None);

        Assert.True(deleted.IsSuccess);
        Assert.Null(await keys.AuthenticateAsync(created.Value.Secret, CancellationToken.None));
    }

    [Fact]
    public async Task Authenticate_SeesARevokeMadeElsewhere_OnceTheCacheExpires()
    {
        var created = await _bed.In(_bed.AlphaId).ApiKeys.CreateAsync(_bed.ActorOf("admin"), "script", CancellationToken.None);
        var keys = _bed.In(null).ApiKeys;
        Assert.NotNull(await keys.AuthenticateAsync(created.Value.Secret, CancellationToken.None));

        // Another instance revokes it: this instance's cache does not know.
        await using (var db = _bed.Database.CrossTenant())
            await db.ApiKeys.Where(k => k.Id == created.Value.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, _bed.Time.GetUtcNow()));
        var withinTtl = await keys.AuthenticateAsync(created.Value.Secret, CancellationToken.None);
        _bed.Time.Advance(ApiKeyCache.TimeToLive);
        var afterTtl = await keys.AuthenticateAsync(created.Value.Secret, CancellationToken.None);

        Assert.Equal(created.Value.Id, withinTtl?.KeyId);
        Assert.Null(afterTtl);
    }

    [Fact]
    public async Task Authenticate_RecordsUseOncePerMinute_AlsoWhenAnsweredFromTheCache()
    {
        var created = await _bed.In(_bed.AlphaId).ApiKeys.CreateAsync(_bed.ActorOf("admin"), "script", CancellationToken.None);
        var keys = _bed.In(null).ApiKeys;
        var first = _bed.Time.GetUtcNow();
        await keys.AuthenticateAsync(created.Value.Secret, CancellationToken.None);
        _bed.Time.Advance(TimeSpan.FromSeconds(2));
        await keys.AuthenticateAsync(created.Value.Secret, CancellationToken.None);
        var afterSeconds = await LastUsedAsync(created.Value.Id);
        _bed.Time.Advance(TimeSpan.FromMinutes(1));
        await keys.AuthenticateAsync(created.Value.Secret, CancellationToken.None);
        _bed.Time.Advance(TimeSpan.FromSeconds(1));
        await keys.AuthenticateAsync(created.Value.Secret, CancellationToken.None);

        Assert.Equal(first, afterSeconds);
        Assert.Equal(first + TimeSpan.FromSeconds(62), await LastUsedAsync(created.Value.Id));
    }

    private async Task<DateTimeOffset?> LastUsedAsync(Guid keyId)
    {
        await using var db = _bed.Database.CrossTenant();
        return (await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == keyId)).LastUsedAt;
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("tp_live_seeded00-wrong-secret")]
    public async Task Authenticate_RefusesWrongKeys(string presented)
    {
        Assert.Null(await _bed.In(null).ApiKeys.AuthenticateAsync(presented, CancellationToken.None));
    }

    [Fact]
    public async Task Create_NeedsAName()
    {
        var result = await _bed.In(_bed.AlphaId).ApiKeys.CreateAsync(_bed.ActorOf("admin"), "  ", CancellationToken.None);

        Assert.Equal("name", result.Error?.Field);
    }
}
