using System.Collections.Concurrent;

namespace TenantPortal.Data.Services.ApiKeys;

/// <summary>
/// The identities of recently authenticated API keys, by the SHA-256 of the secret, for a few seconds: a hot key is not
/// a database query per request. Revoking a key through <see cref="ApiKeyService"/> drops it here at once; other
/// instances (and changes made elsewhere, e.g. a tenant's tier) see the database again within <see cref="TimeToLive"/>.
/// Only live keys are kept; an unknown or revoked secret always asks the database. A hot key is read again before its
/// entry runs out, once (the first request to find it older than <see cref="RefreshAfter"/> starts the read in the
/// background, <see cref="RunRefresh"/>) while every request answers from the entry; and its last-used write is claimed
/// by one request: otherwise every request arriving while the entry was gone, or the write due, went to the database
/// at once, and the request that read the key again waited for the database.
/// </summary>
public sealed class ApiKeyCache(TimeProvider time)
{
    /// <summary>How long an identity is trusted without asking the database.</summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(5);

    /// <summary>Age after which the next request reads the key again (one request; the entry stays valid meanwhile).</summary>
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(4);

    // Entries kept at most; beyond it the cache is emptied (keys are few; this bounds memory against many distinct keys).
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _bySecretHash = new(StringComparer.Ordinal);

    // The refreshes under way, by secret hash (at most one per key).
    private readonly ConcurrentDictionary<string, Task> _refreshes = new(StringComparer.Ordinal);

    /// <summary>
    /// The identity of <paramref name="secretHash"/> if it was seen live within the time to live, with the last-used
    /// time this instance knows was stored; <c>Refresh</c> is true for the one caller that should read the key again
    /// now (the entry is older than <see cref="RefreshAfter"/>), and false for every other.
    /// </summary>
    public (ApiKeyIdentity Identity, DateTimeOffset? LastUsedAt, bool Refresh)? Find(string secretHash)
    {
        if (!_bySecretHash.TryGetValue(secretHash, out var entry))
            return null;
        var now = time.GetUtcNow();
        if (now >= entry.ExpiresAt)
        {
            _bySecretHash.TryRemove(new KeyValuePair<string, Entry>(secretHash, entry));
            return null;
        }
        var refresh = !entry.Refreshing && now >= entry.ExpiresAt - TimeToLive + RefreshAfter
            && _bySecretHash.TryUpdate(secretHash, entry with { Refreshing = true }, entry);
        return (entry.Identity, entry.LastUsedAt, refresh);
    }

    /// <summary>
    /// Runs <paramref name="refresh"/> (the key read again, which remembers or forgets it) off the request that found the
    /// entry due: that request answers from the entry, as every other does until the read is back.
    /// </summary>
    public void RunRefresh(string secretHash, Func<Task> refresh)
    {
        var running = Task.Run(refresh);
        _refreshes[secretHash] = running;
        running.ContinueWith(done => _refreshes.TryRemove(new KeyValuePair<string, Task>(secretHash, done)),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Completes when the refreshes under way now have ended (for tests, and a graceful end).</summary>
    public Task RefreshesAsync() => Task.WhenAll(_refreshes.Values);

    /// <summary>Remembers a live key's identity (and its stored last-used time) for the time to live.</summary>
    public void Remember(string secretHash, ApiKeyIdentity identity, DateTimeOffset? lastUsedAt)
    {
        if (_bySecretHash.Count >= MaxEntries)
            _bySecretHash.Clear();
        _bySecretHash[secretHash] = new Entry(identity, time.GetUtcNow() + TimeToLive, lastUsedAt);
    }

    /// <summary>
    /// Claims the key's last-used write at <paramref name="lastUsedAt"/> (keeping the entry's expiry): true for the one
    /// caller that noted it, which then writes it; false when the entry is gone or another caller noted a use meanwhile.
    /// </summary>
    public bool ClaimUse(string secretHash, DateTimeOffset? knownLastUsedAt, DateTimeOffset lastUsedAt)
    {
        while (_bySecretHash.TryGetValue(secretHash, out var entry) && entry.LastUsedAt == knownLastUsedAt)
        {
            if (_bySecretHash.TryUpdate(secretHash, entry with { LastUsedAt = lastUsedAt }, entry))
                return true;
        }
        return false;
    }

    /// <summary>Forgets a key (revoked): it authenticates nothing in this instance from now on.</summary>
    public void Forget(Guid keyId)
    {
        foreach (var (hash, entry) in _bySecretHash)
        {
            if (entry.Identity.KeyId == keyId)
                _bySecretHash.TryRemove(new KeyValuePair<string, Entry>(hash, entry));
        }
    }

    /// <summary>Forgets every key of a tenant (deleted): they authenticate nothing in this instance from now on.</summary>
    public void ForgetTenant(Guid tenantId)
    {
        foreach (var (hash, entry) in _bySecretHash)
        {
            if (entry.Identity.TenantId == tenantId)
                _bySecretHash.TryRemove(new KeyValuePair<string, Entry>(hash, entry));
        }
    }

    private sealed record Entry(ApiKeyIdentity Identity, DateTimeOffset ExpiresAt, DateTimeOffset? LastUsedAt, bool Refreshing = false);
}
