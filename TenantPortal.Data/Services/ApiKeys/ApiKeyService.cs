using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;
using TenantPortal.Core.Entitlements;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Entitlements;
using TenantPortal.Data.Services.Tenants;

namespace TenantPortal.Data.Services.ApiKeys;

/// <summary>
/// API keys of the current tenant (Admin) and their authentication. A key is <c>tp_live_</c> plus 256 random bits;
/// its first 16 characters are shown and index the lookup, and only the SHA-256 of the whole key is stored. The plan's
/// <c>max_api_keys</c> entitlement caps the live (unrevoked) keys: creating one more is refused; keys already above a
/// lowered limit keep working until revoked.
/// </summary>
public sealed class ApiKeyService(IDbContextFactory<PortalDbContext> contexts, AuditWriter audit, ApiKeyCache cache, TimeProvider time, ILogger<ApiKeyService> logger,
    EntitlementService entitlements)
{
    /// <summary>The prefix every key starts with.</summary>
    public const string KeyPrefix = "tp_live_";

    // LastUsedAt is written at most this often per key, so that authentication does not write on every request.
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>The keys, newest first, revoked ones included (Admin).</summary>
    public async Task<Result<IReadOnlyList<ApiKeyRow>>> ListAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageApiKeys, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var keys = await db.ApiKeys.AsNoTracking().ToListAsync(cancellationToken);
        return keys.OrderByDescending(k => k.CreatedAt)
            .Select(k => new ApiKeyRow(k.Id, k.Name, k.Prefix, k.Scopes, k.CreatedAt, k.LastUsedAt, k.RevokedAt)).ToList();
    }

    /// <summary>How many live keys the tenant holds and how many its plan (or an operator's override) allows (Admin).</summary>
    public async Task<Result<ApiKeyAllowance>> AllowanceAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageApiKeys, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        return await AllowanceAsync(db, gate.Value.TenantId, cancellationToken);
    }

    /// <summary>Creates a named key with the usage scopes (Admin) and returns its secret, shown once.</summary>
    public Task<Result<CreatedApiKey>> CreateAsync(Actor actor, string? name, CancellationToken cancellationToken) =>
        CreateAsync(actor, name, null, cancellationToken);

    /// <summary>
    /// Creates a named key (Admin) with the chosen scopes (none chosen: the usage scopes) and returns its secret, shown
    /// once. No one gives a key more than their role allows: only an Owner grants <c>billing:write</c>.
    /// </summary>
    public async Task<Result<CreatedApiKey>> CreateAsync(Actor actor, string? name, IReadOnlyCollection<string>? scopes, CancellationToken cancellationToken)
    {
        var validName = TenantInput.Name(name);
        if (!validName.IsSuccess)
            return validName.Error;
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageApiKeys, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var validScopes = ApiKeyScopePolicy.Validate(scopes, gate.Value.Role);
        if (!validScopes.IsSuccess)
            return validScopes.Error;
        var allowance = await AllowanceAsync(db, gate.Value.TenantId, cancellationToken);
        if (!allowance.IsSuccess)
            return allowance.Error;
        if (!allowance.Value.CanCreate)
            return new Error(ErrorCodes.ApiKeyLimitReached, allowance.Value.Refusal!);
        var secret = KeyPrefix + SecretHasher.NewToken();
        var key = new ApiKey
        {
            TenantId = gate.Value.TenantId,
            Name = validName.Value,
            Prefix = secret[..ApiKey.PrefixLength],
            SecretHash = SecretHasher.Sha256Hex(secret),
            Scopes = validScopes.Value,
            CreatedAt = time.GetUtcNow(),
            CreatedByUserId = actor.UserId,
        };
        db.ApiKeys.Add(key);
        audit.Record(db, key.TenantId, actor, AuditActions.ApiKeyCreated, $"api_key:{key.Prefix}", $"{key.Name} ({key.Scopes})");
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedApiKey(key.Id, key.Name, key.Prefix, secret, ApiKeyScopePolicy.Parse(key.Scopes));
    }

    /// <summary>Revokes a key (Admin): it authenticates nothing from now on.</summary>
    public async Task<Result> RevokeAsync(Actor actor, Guid keyId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageApiKeys, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId, cancellationToken);
        if (key is null)
            return Error.NotFound("That API key was not found.");
        if (key.RevokedAt is not null)
            return Result.Success();
        key.RevokedAt = time.GetUtcNow();
        audit.Record(db, key.TenantId, actor, AuditActions.ApiKeyRevoked, $"api_key:{key.Prefix}", key.Name);
        await db.SaveChangesAsync(cancellationToken);
        // At once in this instance; other instances' caches expire within ApiKeyCache.TimeToLive.
        cache.Forget(key.Id);
        return Result.Success();
    }

    /// <summary>
    /// Finds the live key a request presents, or null. Cross-tenant by design: the key is what tells the tenant.
    /// A key seen live within the last seconds is answered from <see cref="ApiKeyCache"/> (the first request to find it due
    /// starts reading it again in the background, and answers from the entry too); otherwise the lookup is by prefix and the hash is then compared in constant time.
    /// <c>LastUsedAt</c> is written at most once a minute per key, claimed by one request and written in the background
    /// (<see cref="ApiKeyCache.RunInBackground"/>): no request waits for that write.
    /// </summary>
    public async Task<ApiKeyIdentity?> AuthenticateAsync(string? presented, CancellationToken cancellationToken)
    {
        if (presented is null || presented.Length < ApiKey.PrefixLength || presented.Length > 200)
            return null;
        var hash = SecretHasher.Sha256Hex(presented);
        var now = time.GetUtcNow();
        if (cache.Find(hash) is { } cached)
        {
            if (cached.Refresh)
                cache.RunInBackground("refresh:" + hash, () => RefreshAsync(presented, hash, cached.Identity.KeyId, now));
            if (IsDue(cached.LastUsedAt, now) && cache.ClaimUse(hash, cached.LastUsedAt, now))
                RecordUseInBackground(hash, cached.Identity.KeyId, now);
            return cached.Identity;
        }
        return await LookupAsync(presented, hash, now, cancellationToken);
    }

    // The key read again while its entry is still valid, off any request: a new time to live when live; revoked or gone,
    // it ends for every request at once. A failed read leaves the entry to run out (the next request then asks the
    // database itself).
    private async Task RefreshAsync(string presented, string hash, Guid keyId, DateTimeOffset now)
    {
        try
        {
            if (await LookupAsync(presented, hash, now, CancellationToken.None) is null)
                cache.Forget(keyId);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Reading API key {KeyId} again before its cache entry runs out failed; the entry runs out as usual.", keyId);
        }
    }

    // The key from the database (by prefix, then the hash compared in constant time), cached when live.
    private async Task<ApiKeyIdentity?> LookupAsync(string presented, string hash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var prefix = presented[..ApiKey.PrefixLength];
        await using var db = contexts.CreateDbContext();
        var match = await ApiKeyLookup(db, async () => await db.ApiKeys.AsNoTracking()
            .Where(k => k.Prefix == prefix && k.RevokedAt == null)
            .Join(db.Tenants, k => k.TenantId, t => t.Id, (k, t) => new { Key = k, t.Slug, t.Tier })
            .SingleOrDefaultAsync(cancellationToken));
        if (match is null || !SecretHasher.FixedTimeEquals(match.Key.SecretHash, hash))
            return null;

        var k = match.Key;
        var lastUsedAt = k.LastUsedAt;
        if (IsDue(lastUsedAt, now))
        {
            RecordUseInBackground(hash, k.Id, now);
            lastUsedAt = now;
        }
        var createdBy = await db.Users.Where(u => u.Id == k.CreatedByUserId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);
        var identity = new ApiKeyIdentity(k.Id, k.TenantId, match.Slug, match.Tier, k.Name, k.Prefix, ApiKeyScopePolicy.Parse(k.Scopes), k.CreatedByUserId, createdBy);
        cache.Remember(hash, identity, lastUsedAt);
        return identity;
    }

    // The live keys are counted through the tenant filter; the limit comes from the entitlement check (cached in process).
    private async Task<Result<ApiKeyAllowance>> AllowanceAsync(PortalDbContext db, Guid tenantId, CancellationToken cancellationToken)
    {
        var limit = await entitlements.CheckAsync(tenantId, EntitlementFeatures.MaxApiKeys, cancellationToken);
        if (!limit.IsSuccess)
            return limit.Error;
        var live = await db.ApiKeys.CountAsync(k => k.RevokedAt == null, cancellationToken);
        return new ApiKeyAllowance(live, limit.Value.Value);
    }

    private static bool IsDue(DateTimeOffset? lastUsedAt, DateTimeOffset now) => lastUsedAt is null || now - lastUsedAt >= LastUsedResolution;

    // The key's last use, written off the request, one such write at a time in the process. A failed write is logged and
    // not retried: the next use a minute on writes it again.
    private void RecordUseInBackground(string hash, Guid keyId, DateTimeOffset now) => cache.RunInBackground("use:" + hash, async () =>
    {
        await cache.UseWrites.WaitAsync();
        try
        {
            await using var db = contexts.CreateDbContext();
            await ApiKeyLookup(db, () => db.ApiKeys.Where(k => k.Id == keyId)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now)));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Writing the last use of API key {KeyId} failed; the next use writes it again.", keyId);
        }
        finally
        {
            cache.UseWrites.Release();
        }
    });

    // Authenticating a key comes before any tenant is known: the key (by its prefix, or its id once matched) tells the tenant.
    private static async Task<T> ApiKeyLookup<T>(PortalDbContext db, Func<Task<T>> read)
    {
        using (db.BeginCrossTenantScope("authenticating an API key: the key tells the tenant"))
            return await read();
    }
}
