using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Tenancy;

/// <summary>The scoped <see cref="ITenantContext"/>: one per request, Blazor circuit or job run.</summary>
public sealed class TenantContext : ITenantContext
{
    private int _crossTenantDepth;
    private string? _crossTenantReason;

    /// <inheritdoc />
    public Guid? TenantId { get; private set; }

    /// <inheritdoc />
    public bool IsCrossTenant => _crossTenantDepth > 0;

    /// <summary>The reason given for the innermost open cross-tenant scope.</summary>
    public string? CrossTenantReason => _crossTenantReason;

    /// <inheritdoc />
    public void SetTenant(Guid tenantId) => TenantId = tenantId;

    /// <inheritdoc />
    public IDisposable BeginCrossTenantScope(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var previous = _crossTenantReason;
        _crossTenantDepth++;
        _crossTenantReason = reason;
        return new Scope(this, previous);
    }

    private sealed class Scope(TenantContext owner, string? previousReason) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed)
                return;
            _disposed = true;
            owner._crossTenantDepth--;
            owner._crossTenantReason = previousReason;
        }
    }
}
