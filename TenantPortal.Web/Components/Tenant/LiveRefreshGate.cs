using TenantPortal.Data.Services;

namespace TenantPortal.Web.Components.Tenant;

/// <summary>
/// Decides whether a live panel's tick must read again: always when the tenant's changes aren't tracked (no
/// <see cref="TenantDataVersions"/>: several instances), else only when the tenant's version moved since the last read or
/// that read is older than the allowed age.
/// </summary>
public sealed class LiveRefreshGate(TenantDataVersions? versions, TimeProvider clock)
{
    private long? _version;
    private DateTimeOffset _readAt;

    /// <summary>Runs a read, remembering the tenant's version it reflects.</summary>
    public async Task ReadAsync(Guid tenantId, Func<Task> read)
    {
        // The version is taken before the read: a change landing during the read makes the next check read again.
        var version = versions?.Current(tenantId);
        var at = clock.GetUtcNow();
        _version = null;
        await read();
        (_version, _readAt) = (version, at);
    }

    /// <summary>True when the last read is still current: tracked, unchanged since, and younger than <paramref name="maxAge"/>.</summary>
    public bool IsCurrent(Guid tenantId, TimeSpan maxAge) =>
        _version is { } read && versions is not null && versions.Current(tenantId) == read && clock.GetUtcNow() - _readAt < maxAge;
}
