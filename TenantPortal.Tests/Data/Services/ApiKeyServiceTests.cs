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
        Assert.Equal(_bed.Time.GetUtcNow(), await LastUsedAsync(created.Value.Id));
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
                Microsoft.Extensions.Options.Options.Create(new TenantPortal.Data.Options.BillingOptions()), _bed.Time), _bed.Addresses, scope.Deletion, _bed.Time,
            apiKeys: _bed.ApiKeyCache);

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

    // A hot key's cache entry ran out every TimeToLive, and every request arriving meanwhile asked the database until one
    // of them had cached it again: a burst of lookups per key and instance every five seconds, and requests waiting on
    // them (the load harness's scaleout scenario: quota checks at p99 ~50 ms inside the portal). Then the one request
    // that read the key again still waited for the database: the key is now read again off every request.
    [Fact]
    public async Task Authenticate_RefreshesAHotKeyBeforeItRunsOut_OnceInTheBackground_WhileEveryRequestAnswersFromTheCache()
    {
        var created = await _bed.In(_bed.AlphaId).ApiKeys.CreateAsync(_bed.ActorOf("admin"), "script", CancellationToken.None);
        var cached = await _bed.In(null).ApiKeys.AuthenticateAsync(created.Value.Secret, CancellationToken.None);
        _bed.Time.Advance(ApiKeyCache.RefreshAfter + TimeSpan.FromMilliseconds(500));
        var refresher = new GatedCommands(gateReaders: true);
        var others = new GatedCommands(gateReaders: false);

        // The request that finds the entry due answers while the read it started is held.
        var refreshing = await KeysWith(refresher).AuthenticateAsync(created.Value.Secret, CancellationToken.None).WaitAsync(TestTimeouts.Generous);
        await refresher.Gated.Task.WaitAsync(TestTimeouts.Generous); // the read is under way, held
        var meanwhile = await KeysWith(others).AuthenticateAsync(created.Value.Secret, CancellationToken.None);
        refresher.Release();
        await _bed.ApiKeyCache.BackgroundWorkAsync().WaitAsync(TestTimeouts.Generous);
        _bed.Time.Advance(ApiKeyCache.TimeToLive - ApiKeyCache.RefreshAfter); // past the first entry's time to live
        var later = new GatedCommands(gateReaders: false);
        var afterTheFirstEntry = await KeysWith(later).AuthenticateAsync(created.Value.Secret, CancellationToken.None);

        Assert.Equal(cached?.KeyId, refreshing?.KeyId);
        Assert.Equal(cached?.KeyId, meanwhile?.KeyId);
        Assert.Equal(0, others.Commands); // one read for the key
        Assert.Equal(cached?.KeyId, afterTheFirstEntry?.KeyId);
        Assert.Equal(0, later.Commands); // the refresh started a new time to live
    }

    [Fact]
    public async Task Authenticate_ARefreshThatFindsTheKeyRevoked_EndsItForEveryRequestAtOnce()
    {
        var created = await _bed.In(_bed.AlphaId).ApiKeys.CreateAsync(_bed.ActorOf("admin"), "script", CancellationToken.None);
        Assert.NotNull(await _bed.In(null).ApiKeys.AuthenticateAsync(created.Value.Secret, CancellationToken.None));
        // Revoked on another instance; this one's entry is due for its refresh.
        await using (var db = _bed.Database.CrossTenant())
            await db.ApiKeys.Where(k => k.Id == created.Value.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, _bed.Time.GetUtcNow()));
        _bed.Time.Advance(ApiKeyCache.RefreshAfter + TimeSpan.FromMilliseconds(500));

        // Within the entry's time to live, as on an instance that has not read it again yet.
        Assert.NotNull(await _bed.In(null).ApiKeys.AuthenticateAsync(created.Value.Secret, CancellationToken.None));
        await _bed.ApiKeyCache.BackgroundWorkAsync().WaitAsync(TestTimeouts.Generous);

        Assert.Null(await _bed.In(null).ApiKeys.AuthenticateAsync(created.Value.Secret, CancellationToken.None));
        Assert.Null(await _bed.In(null).ApiKeys.AuthenticateAsync(created.Value.Secret, CancellationToken.None));
    }

    [Fact]
    public async Task Authenticate_ARefreshThatFails_LeavesTheEntryToRunOut_AndTheNextRequestAsksTheDatabase()
    {
        var created = await _bed.In(_bed.AlphaId).ApiKeys.CreateAsync(_bed.ActorOf("admin"), "script", CancellationToken.None);
        Assert.NotNull(await _bed.In(null).ApiKeys.AuthenticateAsync(created.Value.Secret, CancellationToken.None));
        _bed.Time.Advance(ApiKeyCache.RefreshAfter + TimeSpan.FromMilliseconds(500));

        Assert.NotNull(await KeysWith(new FailingCommands()).AuthenticateAsync(created.Value.Secret, CancellationToken.None));
        await _bed.ApiKeyCache.BackgroundWorkAsync().WaitAsync(TestTimeouts.Generous); // ended by the failure, logged, not thrown
        _bed.Time.Advance(ApiKeyCache.TimeToLive - ApiKeyCache.RefreshAfter);
        var next = new GatedCommands(gateReaders: false);

        Assert.Equal(created.Value.Id, (await KeysWith(next).AuthenticateAsync(created.Value.Secret, CancellationToken.None))?.KeyId);
        Assert.NotEqual(0, next.Commands);
    }

    // Every request that found the key due for its once-a-minute last-used write wrote it, all on the same row, until the
    // first had noted it in the cache. And the one that wrote it answered only once the database had: on SQLite, keys
    // first used together came due together, and their writes, finding the write lock taken, slept 150 ms each on the
    // requests' threads (the load harness's quota check: a 152 ms stall a minute).
    [Fact]
    public async Task Authenticate_WritesTheLastUseOnce_WhileConcurrentRequestsFindItDue_AndNoRequestWaitsForTheWrite()
    {
        var created = await _bed.In(_bed.AlphaId).ApiKeys.CreateAsync(_bed.ActorOf("admin"), "script", CancellationToken.None);
        Assert.NotNull(await _bed.In(null).ApiKeys.AuthenticateAsync(created.Value.Secret, CancellationToken.None)); // last use written now
        Assert.Equal(_bed.Time.GetUtcNow(), await LastUsedAsync(created.Value.Id));
        _bed.Time.Advance(TimeSpan.FromSeconds(58));
        Assert.NotNull(await _bed.In(null).ApiKeys.AuthenticateAsync(created.Value.Secret, CancellationToken.None)); // cached again, not due yet
        _bed.Time.Advance(TimeSpan.FromSeconds(3)); // due, and the entry is fresh
        var writer = new GatedCommands(gateReaders: false, gateWriters: true);
        var other = new GatedCommands(gateReaders: false);

        var answered = await KeysWith(writer).AuthenticateAsync(created.Value.Secret, CancellationToken.None).WaitAsync(TestTimeouts.Generous);
        await writer.Gated.Task.WaitAsync(TestTimeouts.Generous); // its write is under way, held: the request has answered all the same
        var meanwhile = await KeysWith(other).AuthenticateAsync(created.Value.Secret, CancellationToken.None);
        writer.Release();

        Assert.Equal(created.Value.Id, answered?.KeyId);
        Assert.Equal(created.Value.Id, meanwhile?.KeyId);
        Assert.Equal(0, other.Commands);
        Assert.Equal(_bed.Time.GetUtcNow(), await LastUsedAsync(created.Value.Id));
    }

    private ApiKeyService KeysWith(Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor commands) =>
        new(new InterceptedContexts(_bed.Database, new TenantPortal.Data.Tenancy.TenantContext(), commands), new TenantPortal.Data.Services.Audit.AuditWriter(_bed.Time),
            _bed.ApiKeyCache, _bed.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<ApiKeyService>.Instance, _bed.In(_bed.AlphaId).Entitlements);

    // Fails every command, as a database that does not answer.
    private sealed class FailingCommands : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
            System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default) =>
            throw new TimeoutException("The database did not answer (test).");
    }

    private sealed class InterceptedContexts(TestDatabase database, TenantPortal.Data.Tenancy.TenantContext tenant, Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor interceptor)
        : IDbContextFactory<TenantPortal.Data.PortalDbContext>
    {
        public TenantPortal.Data.PortalDbContext CreateDbContext() => database.CreateContext(tenant, interceptor);
    }

    // Counts the commands of its contexts, and holds the first query (or write) until released.
    private sealed class GatedCommands(bool gateReaders, bool gateWriters = false) : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _commands;

        public int Commands => _commands;

        public TaskCompletionSource Gated { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _release.TrySetResult();

        public override async ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
            System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default)
        {
            await CountAsync(gateReaders);
            return result;
        }

        public override async ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int>> NonQueryExecutingAsync(
            System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            await CountAsync(gateWriters);
            return result;
        }

        private async Task CountAsync(bool gate)
        {
            if (Interlocked.Increment(ref _commands) == 1 && gate)
            {
                Gated.TrySetResult();
                await _release.Task.WaitAsync(TestTimeouts.Generous);
            }
        }
    }

    // The stored last use, once the last-used writes under way (made off the requests) are done.
    private async Task<DateTimeOffset?> LastUsedAsync(Guid keyId)
    {
        await _bed.ApiKeyCache.BackgroundWorkAsync().WaitAsync(TestTimeouts.Generous);
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
