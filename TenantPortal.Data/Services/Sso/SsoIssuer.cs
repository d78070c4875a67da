using TenantPortal.Core.Common;

namespace TenantPortal.Data.Services.Sso;

/// <summary>The rules of an issuer URL, and where its discovery document is.</summary>
public static class SsoIssuer
{
    /// <summary>The name of the HTTP client that talks to identity providers (discovery, keys, tokens).</summary>
    public const string HttpClientName = "TenantPortal.Sso";

    /// <summary>
    /// The issuer as stored: an absolute <c>https://</c> URL (or <c>http://</c> when <paramref name="allowHttp"/>), with no
    /// query, fragment or user info, trimmed of spaces. Tokens must carry exactly this issuer (a trailing slash aside).
    /// </summary>
    public static Result<string> Validate(string? value, bool allowHttp)
    {
        var text = value?.Trim() ?? "";
        if (text.Length == 0)
            return Error.Invalid("issuer", "Enter the issuer URL of your identity provider.");
        if (text.Length > Core.Sso.SsoConnection.IssuerLength)
            return Error.Invalid("issuer", $"The issuer URL is longer than {Core.Sso.SsoConnection.IssuerLength} characters.");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            return Error.Invalid("issuer", "The issuer must be an absolute URL, such as https://login.example.com/.");
        if (uri.Scheme != Uri.UriSchemeHttps && !(allowHttp && uri.Scheme == Uri.UriSchemeHttp))
            return Error.Invalid("issuer", "The issuer must be an https:// URL.");
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            return Error.Invalid("issuer", "The issuer URL can't have a query, a fragment or a user name.");
        return text;
    }

    /// <summary>The issuer's discovery document.</summary>
    public static Uri DiscoveryDocument(string issuer) => new(issuer.TrimEnd('/') + "/.well-known/openid-configuration");

    /// <summary>The issuer values a token may carry: the one configured, with and without a trailing slash.</summary>
    public static IReadOnlyList<string> Accepted(string issuer)
    {
        var bare = issuer.TrimEnd('/');
        return [bare, bare + "/"];
    }

    /// <summary>True when <paramref name="found"/> is the issuer configured (a trailing slash aside).</summary>
    public static bool Matches(string issuer, string? found) =>
        found is not null && string.Equals(issuer.TrimEnd('/'), found.TrimEnd('/'), StringComparison.Ordinal);
}
