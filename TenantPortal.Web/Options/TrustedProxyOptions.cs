using System.ComponentModel.DataAnnotations;
using System.Net;

namespace TenantPortal.Web.Options;

/// <summary>
/// The <c>ForwardedHeaders</c> section: the load balancers or reverse proxies whose <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> the portal believes (TLS ends at the proxy). Empty (the default) trusts no forwarded header.
/// </summary>
public sealed class TrustedProxyOptions : IValidatableObject
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Addresses of the proxies, e.g. <c>ForwardedHeaders:KnownProxies:0 = 10.0.0.4</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of the proxies in CIDR notation, e.g. <c>ForwardedHeaders:KnownNetworks:0 = 10.0.0.0/8</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>True when a proxy or network is configured, i.e. forwarded headers are to be read.</summary>
    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < KnownProxies.Count; i++)
        {
            if (!IPAddress.TryParse(KnownProxies[i], out _))
                yield return new ValidationResult($"ForwardedHeaders:KnownProxies:{i} '{KnownProxies[i]}' is not an IP address.");
        }
        for (var i = 0; i < KnownNetworks.Count; i++)
        {
            if (!IPNetwork.TryParse(KnownNetworks[i], out _))
                yield return new ValidationResult($"ForwardedHeaders:KnownNetworks:{i} '{KnownNetworks[i]}' is not a network in CIDR notation (e.g. 10.0.0.0/8).");
        }
    }
}
