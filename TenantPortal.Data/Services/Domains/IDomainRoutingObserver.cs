namespace TenantPortal.Data.Services.Domains;

/// <summary>
/// Told when a host stops standing for a tenant (a verified domain removed or un-verified), after the change is saved,
/// so that whatever remembers hosts (the web layer's host routing cache) forgets it at once in this process.
/// </summary>
public interface IDomainRoutingObserver
{
    /// <summary><paramref name="host"/> (normalized) may no longer route where it did.</summary>
    void HostChanged(string host);
}
