namespace TenantPortal.Core.Common;

/// <summary>
/// The portal's own addresses, from configuration (<c>Portal:PublicUrl</c>, <c>Tenancy:RootDomain</c>): every absolute
/// link the portal sends or hands out is built here, never from the <c>Host</c> of a request.
/// </summary>
public interface IPortalAddresses
{
    /// <summary>The host of <c>Portal:PublicUrl</c>, normalized (see <see cref="HostNames"/>; an IP address as written).</summary>
    string PublicHost { get; }

    /// <summary><c>Tenancy:RootDomain</c>, normalized, or null when tenant host names are off.</summary>
    string? RootDomain { get; }

    /// <summary>The absolute address of <paramref name="pathAndQuery"/> (e.g. <c>/t/acme/billing</c>) on <c>Portal:PublicUrl</c>.</summary>
    Uri Link(string pathAndQuery);
}
