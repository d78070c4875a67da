using System.Collections.Concurrent;

namespace TenantPortal.Data.Services.ApiKeys;

/// <summary>
/// The identities of recently authenticated API keys, by the SHA-256 of the secret, for a few seconds: a hot key is not
/// a database query per request. Revoking a key through <see cref="ApiKeyService"/> drops it here at once; other
/// instances (and changes made elsewhere, e.g. a tenant's tier) see the database again within <see cref="TimeToLive"/>.
/// Only live keys are kept; an unknown or revoked secret always asks the database.
/// </summary>
public sealed class ApiKeyCache(TimeProvider time)
{
    /// <summary>How long an identity is trusted without asking the database.</summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(5);

    // Entries kept at most; beyond it the cache is emptied (keys are few; this bounds memory against many distinct keys).
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _bySecretHash = new(StringComparer.Ordinal);

    /// <summary>
    /// The identity of <paramref name="secretHash"/> if it was seen live within the time to live, with the last-used
    /// time this instance knows was stored.
    /// </summary>
    public (ApiKeyIdentity Identity, DateTimeOffset? LastUsedAt)? Find(string secretHash)
    {
        if (!_bySecretHash.TryGetValue(secretHash, out var entry))
            return null;
        if (time.GetUtcNow() < entry.ExpiresAt)
            return (entry.Identity, entry.LastUsedAt);
        _bySecretHash.TryRemove(new KeyValuePair<string, Entry>(secretHash, entry));
        return null;
    }

    /// <summary>Remembers a live key's identity (and its stored last-used time) for the time to live.</summary>
    public void Remember(string secretHash, ApiKeyIdentity identity, DateTimeOffset? lastUsedAt)
    {
        if (_bySecretHash.Count >= MaxEntries)
            _bySecretHash.Clear();
        _bySecretHash[secretHash] = new Entry(identity, time.GetUtcNow() + TimeToLive, lastUsedAt);
    }

    /// <summary>Notes that the key's last-used time was written, keeping the entry's expiry.</summary>
    public void Used(string secretHash, DateTimeOffset lastUsedAt)
    {
        if (_bySecretHash.TryGetValue(secretHash, out var entry))
            _bySecretHash.TryUpdate(secretHash, entry with { LastUsedAt = lastUsedAt }, entry);
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

    private sealed record Entry(ApiKeyIdentity Identity, DateTimeOffset ExpiresAt, DateTimeOffset? LastUsedAt);
}
