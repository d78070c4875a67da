using System.ComponentModel.DataAnnotations;
using System.Net;

namespace TenantPortal.Data.Options;

/// <summary>
/// How domain verification asks DNS (the <c>Tenancy</c> section): <c>Tenancy:DnsServer</c> is the server's
/// <c>host:port</c> (an address such as <c>10.0.0.2:53</c> or <c>[::1]:5353</c>, or a host name with a port); empty asks
/// the system's resolvers. Validated when the portal starts, with a message naming the key.
/// </summary>
public sealed class DomainVerificationOptions : IValidatableObject
{
    /// <summary>Configuration section (shared with the web layer's tenancy settings).</summary>
    public const string SectionName = "Tenancy";

    /// <summary>The key, for messages.</summary>
    public const string DnsServerKey = "Tenancy:DnsServer";

    /// <summary>The DNS server as <c>host:port</c>; empty for the system resolvers.</summary>
    public string? DnsServer { get; set; }

    /// <summary>How long one DNS attempt may take, in milliseconds (<c>Tenancy:DnsTimeoutMilliseconds</c>, 100 to 30000).</summary>
    [Range(100, 30_000, ErrorMessage = "Tenancy:DnsTimeoutMilliseconds must be from 100 to 30000.")]
    public int DnsTimeoutMilliseconds { get; set; } = 2_000;

    /// <summary>Attempts after the first one (<c>Tenancy:DnsRetries</c>, 0 to 5).</summary>
    [Range(0, 5, ErrorMessage = "Tenancy:DnsRetries must be from 0 to 5.")]
    public int DnsRetries { get; set; } = 2;

    /// <summary>The configured server split into host and port, or null for the system resolvers; false when malformed.</summary>
    public static bool TryParseServer(string? value, out (string Host, int Port)? server)
    {
        server = null;
        if (string.IsNullOrWhiteSpace(value))
            return true;
        var text = value.Trim();
        if (IPEndPoint.TryParse(text, out var endpoint) && endpoint.Port is > 0 and <= 65535 && (text.Contains(']', StringComparison.Ordinal) || endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork))
        {
            server = (endpoint.Address.ToString(), endpoint.Port);
            return true;
        }
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
            return false;
        var host = TenantPortal.Core.Common.HostNames.Normalize(text[..colon]);
        if (host is null)
            return false;
        server = (host, port);
        return true;
    }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TryParseServer(DnsServer, out _))
            yield return new ValidationResult(
                $"{DnsServerKey} '{DnsServer}' is not host:port (e.g. 10.0.0.2:53, [::1]:5353 or dns.internal:53); leave it empty to use the system's resolvers.",
                [nameof(DnsServer)]);
    }
}
