using System.Net;
using Microsoft.Extensions.Options;
using TenantPortal.Core.Common;

namespace TenantPortal.Web.Options;

/// <summary>
/// Checks <c>Portal:PublicUrl</c>: required outside Development; an absolute http or https URL of a host and optional
/// port only; and https outside Development unless its host is a loopback address (a local try, such as the Docker
/// quick start on <c>http://localhost:8080</c>): plain HTTP on a public name would send sign-in cookies in clear text.
/// </summary>
public sealed class PortalOptionsValidator(IHostEnvironment environment) : IValidateOptions<PortalOptions>
{
    private const string Key = "Portal:PublicUrl";
    private const string Example = "e.g. https://portal.example.com";

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PortalOptions options)
    {
        var value = options.PublicUrl?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return environment.IsDevelopment()
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"{Key} is required outside Development: the address people open the portal at, {Example} (environment variable Portal__PublicUrl).");
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            return ValidateOptionsResult.Fail($"{Key} '{value}' is not an absolute http or https URL; {Example}.");
        if (uri.UserInfo.Length > 0 || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            return ValidateOptionsResult.Fail($"{Key} '{value}' must be a scheme, a host and an optional port only (no path, query or user); {Example}.");
        if (HostOf(uri) is null)
            return ValidateOptionsResult.Fail($"{Key} '{value}' does not name a valid host; {Example}.");
        if (!environment.IsDevelopment() && uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri))
            return ValidateOptionsResult.Fail($"{Key} '{value}' is plain http on a public host: sign-in cookies would travel in clear text. " +
                                              "Use https (TLS at a proxy, or Kestrel with a certificate), or http://localhost:<port> for a local try.");
        return ValidateOptionsResult.Success;
    }

    /// <summary>The normalized host of a public URL (a DNS name or an IP address), or null when it is neither.</summary>
    public static string? HostOf(Uri uri) =>
        uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address)
            ? Security.RequestHost.AddressName(address)
            : HostNames.Normalize(uri.IdnHost);

    /// <summary>True for <c>localhost</c> and loopback addresses.</summary>
    public static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || HostOf(uri) is { } host && (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal));
}
