using System.Net;
using System.Net.Sockets;
using TenantPortal.Core.Common;
using TenantPortal.Core.Webhooks;

namespace TenantPortal.Data.Services.Webhooks;

/// <summary>
/// Which addresses the portal never sends to (SSRF): loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local
/// (169.254/16, fe80::/10, the cloud metadata addresses among them), CGNAT 100.64/10, 0.0.0.0/8, multicast, broadcast,
/// reserved 240/4, the unspecified address, and the IPv4-mapped/compatible IPv6 forms of those. Checked at send time on every
/// address the name resolves to (<see cref="WebhookHttp"/>), and at registration on a literal address and on the URL's form.
/// </summary>
public static class WebhookAddressGuard
{
    /// <summary>The cloud metadata addresses (also link-local or private; named for the error message).</summary>
    public static readonly IPAddress[] MetadataAddresses = [IPAddress.Parse("169.254.169.254"), IPAddress.Parse("fd00:ec2::254")];

    /// <summary>Why the portal refuses to send to <paramref name="address"/>, or null when it may.</summary>
    public static string? Refusal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (MetadataAddresses.Contains(address))
            return $"{address} is a cloud metadata address";
        if (address.AddressFamily == AddressFamily.InterNetwork)
            return RefusalV4(address.GetAddressBytes());
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return $"{address} is not an IP address the portal sends to";
        var b = address.GetAddressBytes();
        if (address.Equals(IPAddress.IPv6Loopback))
            return $"{address} is a loopback address";
        if (address.Equals(IPAddress.IPv6Any))
            return $"{address} is the unspecified address";
        // ::a.b.c.d (IPv4-compatible, deprecated) carries an IPv4 address too.
        if (b.Take(12).All(x => x == 0))
            return RefusalV4(b[12..]) ?? $"{address} is an IPv4-compatible address";
        if ((b[0] & 0xfe) == 0xfc)
            return $"{address} is a private (unique local) address";
        if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
            return $"{address} is a link-local address";
        if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)
            return $"{address} is a site-local address";
        if (b[0] == 0xff)
            return $"{address} is a multicast address";
        // 64:ff9b::/96 (NAT64) embeds an IPv4 address: refused when that one is.
        if (b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.Skip(4).Take(8).All(x => x == 0))
            return RefusalV4(b[12..]);
        return null;
    }

    /// <summary>True when the portal may send to <paramref name="address"/>.</summary>
    public static bool IsAllowed(IPAddress address) => Refusal(address) is null;

    /// <summary>
    /// Checks an endpoint URL at registration: absolute, https (http too when <paramref name="allowPrivate"/>), no user info,
    /// a host that is not a refused literal address nor <c>localhost</c>. Returns the URL as given, or an error naming <c>url</c>.
    /// </summary>
    public static Result<string> CheckUrl(string? url, bool allowPrivate)
    {
        const string field = "url";
        if (string.IsNullOrWhiteSpace(url))
            return Error.Invalid(field, "url is required: the HTTPS address events are sent to.");
        url = url.Trim();
        var clean = PlainText.Check(url, field, "The URL");
        if (!clean.IsSuccess)
            return clean.Error;
        if (url.Length > WebhookEndpoint.UrlLength)
            return Error.Invalid(field, $"The URL must be at most {WebhookEndpoint.UrlLength} characters.");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            return Error.Invalid(field, "The URL must be an absolute address, e.g. https://example.com/webhooks.");
        if (uri.Scheme != Uri.UriSchemeHttps && !(allowPrivate && uri.Scheme == Uri.UriSchemeHttp))
            return Error.Invalid(field, "The URL must start with https://: events are sent over HTTPS only.");
        if (uri.UserInfo.Length > 0)
            return Error.Invalid(field, "The URL must not carry a user name or password.");
        if (uri.Fragment.Length > 0)
            return Error.Invalid(field, "The URL must not have a #fragment.");
        if (allowPrivate)
            return url;
        if (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var literal) && Refusal(literal) is { } refused)
            return Error.Invalid(field, $"The URL's host is refused: {refused}. Use a public address.");
        if (uri.IsLoopback || uri.IdnHost.Equals("localhost", StringComparison.OrdinalIgnoreCase) || uri.IdnHost.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
            return Error.Invalid(field, "The URL's host is refused: localhost is a loopback address. Use a public address.");
        return url;
    }

    private static string? RefusalV4(byte[] b)
    {
        var text = new IPAddress(b).ToString();
        return b switch
        {
            [0, ..] => $"{text} is in 0.0.0.0/8 (this network)",
            [10, ..] => $"{text} is a private address",
            [100, >= 64 and <= 127, ..] => $"{text} is a shared (CGNAT) address",
            [127, ..] => $"{text} is a loopback address",
            [169, 254, ..] => $"{text} is a link-local address",
            [172, >= 16 and <= 31, ..] => $"{text} is a private address",
            [192, 0, 0, _] => $"{text} is a reserved (IETF protocol) address",
            [192, 168, ..] => $"{text} is a private address",
            [198, 18 or 19, ..] => $"{text} is a benchmarking address",
            [>= 224 and <= 239, ..] => $"{text} is a multicast address",
            [255, 255, 255, 255] => $"{text} is the broadcast address",
            [>= 240, ..] => $"{text} is a reserved address",
            _ => null,
        };
    }
}
