namespace TenantPortal.Core.Common;

/// <summary>
/// A row that belongs to exactly one tenant. The data layer filters every query on
/// <see cref="TenantId"/> for the current tenant and refuses to save a row of another tenant.
/// </summary>
public interface ITenantOwned
{
    /// <summary>The tenant that owns the row.</summary>
    Guid TenantId { get; set; }
}
