namespace TenantPortal.Core.Tenants;

/// <summary>
/// The tenant the current request, circuit or job works for. The data layer filters every query of
/// tenant-owned rows on it and refuses to save rows of another tenant. Code that must work across
/// tenants (operators, jobs, seeding) says so explicitly with <see cref="BeginCrossTenantScope"/>.
/// </summary>
public interface ITenantContext
{
    /// <summary>The current tenant, or null when none is resolved (then no tenant-owned row is visible).</summary>
    Guid? TenantId { get; }

    /// <summary>True inside a cross-tenant scope: filters are off and any tenant's rows may be written.</summary>
    bool IsCrossTenant { get; }

    /// <summary>Sets the current tenant (a Blazor circuit moves to another tenant when the user switches).</summary>
    void SetTenant(Guid tenantId);

    /// <summary>Starts a cross-tenant scope for operator, job or seeding code; dispose to end it.</summary>
    /// <param name="reason">Why the code needs every tenant (kept for diagnostics).</param>
    IDisposable BeginCrossTenantScope(string reason);
}
