using System.Collections.Concurrent;

namespace TenantPortal.Data.Services.ApiKeys;

/// <summary>
/// The identities of recently authenticated API keys, by the SHA-256 of the secret, for a few seconds: a hot key is not
/// a database query per request. Revoking a key through <see cref="ApiKeyService"/> drops it here at once; other
/// instances (and changes made elsewhere, e.g. a tenant's tier) see the database again within <see cref="TimeToLive"/>.
/// Only live keys are kept; an unknown or revoked secret always asks the database. A hot key is read again before its
/// entry runs out, once (the first request to find it older than <see cref="RefreshAfter"/> starts the read in the
/// background, <see cref="RunInBackground"/>) while every request answers from the entry; and its last-used write is claimed
/// by one request and made in the background too, one such write at a time in the process (<see cref="UseWrites"/>):
/// otherwise every request arriving while the entry was gone, or the write due, went to the database at once, and the
/// request that read the key again, or wrote its last use, waited for the database. On SQLite that wait was 150 ms and
/// more: keys first used together came due together, their writes found each other (or the rollup job) holding the
/// write lock, and Microsoft.Data.Sqlite retries a busy write after sleeping 150 ms on the request's thread.
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

    // The background work under way (refreshes, last-used writes), by what it is for (at most one of each per key).
    private readonly ConcurrentDictionary<string, Task> _background = new(StringComparer.Ordinal);

    /// <summary>Held by each last-used write: one at a time in this process, so they never wait on each other's write lock.</summary>
    public SemaphoreSlim UseWrites { get; } = new(1, 1);

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
    /// Runs <paramref name="work"/> (the key read again, which remembers or forgets it; or its last-used write) off the
    /// request that found it due: that request answers from the entry, as every other does until the work is done.
    /// <paramref name="key"/> names the work (e.g. the secret hash and what for); <paramref name="work"/> handles its own failures.
    /// </summary>
    public void RunInBackground(string key, Func<Task> work)
    {
        var running = Task.Run(work);
        _background[key] = running;
        running.ContinueWith(done => _background.TryRemove(new KeyValuePair<string, Task>(key, done)),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Completes when the background work under way now has ended (for tests, and a graceful end).</summary>
    public Task BackgroundWorkAsync() => Task.WhenAll(_background.Values);

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
