using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Web.Options;

namespace TenantPortal.Web.Security;

/// <summary>
/// The portal's addresses from configuration: <c>Portal:PublicUrl</c> (in Development, by default, the first address the
/// portal listens on) and <c>Tenancy:RootDomain</c>. Every absolute link the portal produces comes from here — emails,
/// Stripe's return addresses, invitation links — so a request's <c>Host</c> never ends up in one.
/// </summary>
public sealed class PortalAddresses(IOptions<PortalOptions> portal, IOptions<TenancyOptions> tenancy, IServer? server = null) : IPortalAddresses
{
    private Uri? _publicUrl;

    /// <summary><c>Portal:PublicUrl</c> with a trailing slash, e.g. <c>https://portal.example.com/</c>.</summary>
    public Uri PublicUrl => _publicUrl ?? Resolve();

    /// <inheritdoc />
    public string PublicHost => PortalOptionsValidator.HostOf(PublicUrl) ?? PublicUrl.Host;

    /// <inheritdoc />
    public string? RootDomain => string.IsNullOrWhiteSpace(tenancy.Value.RootDomain) ? null : HostNames.Normalize(tenancy.Value.RootDomain.Trim());

    /// <summary>True when <c>Portal:PublicUrl</c> is plain http (outside Development only on a loopback host: a local try).</summary>
    public bool PublicUrlIsPlainHttp => PublicUrl.Scheme == Uri.UriSchemeHttp;

    /// <inheritdoc />
    public Uri Link(string pathAndQuery) => new(PublicUrl, pathAndQuery);

    /// <summary>The invitation accept page (<c>/invitations/accept</c>) on the public address; the token is added to it.</summary>
    public Uri InvitationAcceptUrl => Link("/invitations/accept");

    /// <summary>
    /// The absolute address of <paramref name="pathAndQuery"/> for someone on <paramref name="host"/>: on a tenant host
    /// (<c>{slug}.{RootDomain}</c>) that host, with <c>Portal:PublicUrl</c>'s scheme and port, so that they come back
    /// to where they are signed in; anywhere else (the public host, an unknown host) on <c>Portal:PublicUrl</c>. Only
    /// the slug comes from the host, and only when it is one a tenant could have.
    /// </summary>
    public Uri LinkOn(string? host, string pathAndQuery)
    {
        if (host is not null && HostNames.Normalize(host) is { } name && TenantSlugOf(name) is not null)
        {
            var publicUrl = PublicUrl;
            var origin = new UriBuilder(publicUrl.Scheme, name, publicUrl.IsDefaultPort ? -1 : publicUrl.Port).Uri;
            return new Uri(origin, pathAndQuery);
        }
        return Link(pathAndQuery);
    }

    /// <summary>The slug a normalized host stands for under <c>Tenancy:RootDomain</c> (<c>acme.portal.example.com</c> is acme), or null.</summary>
    public string? TenantSlugOf(string host)
    {
        if (RootDomain is not { } root || !host.EndsWith("." + root, StringComparison.Ordinal))
            return null;
        var label = host[..^(root.Length + 1)];
        return TenantSlug.Validate(label).IsSuccess ? label : null;
    }

    private Uri Resolve()
    {
        if (!string.IsNullOrWhiteSpace(portal.Value.PublicUrl))
            return _publicUrl = WithSlash(new Uri(portal.Value.PublicUrl.Trim()));
        // Development without the setting: the first address the server listens on, once it listens.
        var first = server?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (first is null)
            return new Uri("http://localhost/");
        var listening = new Uri(first.Replace("://+", "://localhost").Replace("://*", "://localhost")
            .Replace("://0.0.0.0", "://localhost").Replace("://[::]", "://localhost"));
        return _publicUrl = WithSlash(listening);
    }

    private static Uri WithSlash(Uri uri) => new(uri.GetLeftPart(UriPartial.Authority) + "/");
}
