using System.Globalization;
using System.Net;
using System.Net.Sockets;
using TenantPortal.Core.Common;

namespace TenantPortal.Web.Security;

/// <summary>
/// A request's <c>Host</c> as the portal compares it: the name normalized (a DNS name lower-cased, without its trailing
/// dot, IDN as punycode — see <see cref="HostNames"/>; an IP address in its usual form, IPv6 in brackets) and the port,
/// if any. <see cref="PortalHostMiddleware"/> parses it once per request, refusing a malformed one, and keeps it as a
/// request feature.
/// </summary>
/// <param name="Name">The normalized host name or address.</param>
/// <param name="Port">The port, when the header names one.</param>
public sealed record RequestHost(string Name, int? Port)
{
    /// <summary>The header's form: <c>name</c> or <c>name:port</c>.</summary>
    public string Value => Port is { } port ? $"{Name}:{port.ToString(CultureInfo.InvariantCulture)}" : Name;

    /// <summary>
    /// Parses a <c>Host</c> header: a DNS name (see <see cref="HostNames.Normalize"/>), a dotted IPv4 address or a
    /// bracketed IPv6 address, with an optional port of 1 to 65535. False for anything else, an empty header included.
    /// </summary>
    public static bool TryParse(string? header, out RequestHost host)
    {
        host = default!;
        if (string.IsNullOrEmpty(header))
            return false;
        string name;
        string? port = null;
        if (header[0] == '[')
        {
            var close = header.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || !IPAddress.TryParse(header[1..close], out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
                return false;
            name = AddressName(v6);
            var rest = header[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                    return false;
                port = rest[1..];
            }
        }
        else
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            var hostPart = colon < 0 ? header : header[..colon];
            if (colon >= 0)
                port = header[(colon + 1)..];
            if (IsDottedQuad(hostPart) && IPAddress.TryParse(hostPart, out var v4))
                name = AddressName(v4);
            else if (HostNames.Normalize(hostPart) is { } dns)
                name = dns;
            else
                return false;
        }
        int? number = null;
        if (port is not null)
        {
            if (port.Length is 0 or > 5 || !port.All(char.IsAsciiDigit) || int.Parse(port, CultureInfo.InvariantCulture) is < 1 or > 65535)
                return false;
            number = int.Parse(port, CultureInfo.InvariantCulture);
        }
        host = new RequestHost(name, number);
        return true;
    }

    /// <summary>The request's host: the one <see cref="PortalHostMiddleware"/> parsed, or parsed from the header now; null when malformed.</summary>
    public static RequestHost? Of(HttpContext context) =>
        context.Features.Get<RequestHost>() ?? (TryParse(context.Request.Headers.Host.ToString(), out var host) ? host : null);

    /// <summary>An IP address as a host name: IPv4 dotted, IPv6 compressed in brackets.</summary>
    public static string AddressName(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    // Four decimal parts of at most three digits, each at most 255 (IPAddress.TryParse alone would take "1" or "0x7f.1").
    private static bool IsDottedQuad(string value)
    {
        var parts = value.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit) && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
    }
}
